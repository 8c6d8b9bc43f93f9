/**
 * Node defaulting, as SetDefaults_NodeStatus: allocatable defaults to capacity. Quantities are
 * normalised as the decoder does (canonical form). Mutates; idempotent.
 */
import type { Node } from 'kubernetes-types/core/v1';
import { canonicalizeQuantity, tryParseQuantity } from '../../quantity.js';

function canonicalizeList(list: Record<string, string> | undefined): void {
  for (const [name, raw] of Object.entries(list ?? {})) {
    if (!(tryParseQuantity(raw) instanceof Error)) list![name] = canonicalizeQuantity(raw);
  }
}

export function defaultNode(node: Node): void {
  node.metadata ??= {};
  const status = node.status;
  if (!status) return;
  canonicalizeList(status.capacity);
  canonicalizeList(status.allocatable);
  if (!status.allocatable && status.capacity) status.allocatable = { ...status.capacity };
}
