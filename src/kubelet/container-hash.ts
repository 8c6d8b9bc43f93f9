/**
 * The container spec hash kubelet records on each container (kubecontainer.HashContainer) so it
 * can tell after a restart whether the spec changed (then the container is killed and recreated).
 * Canonical JSON (sorted keys, undefined dropped) through SHA-256, first 16 hex digits: stable
 * across processes, unlike upstream's FNV over Go's %v which only needs to be stable per build.
 */
import { createHash } from 'node:crypto';
import type { Container } from 'kubernetes-types/core/v1';

export function hashContainer(container: Container): string {
  return createHash('sha256').update(canonicalJSON(container)).digest('hex').slice(0, 16);
}

function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
