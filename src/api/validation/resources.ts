/**
 * Container resource requirements (requests/limits), as upstream's
 * ValidateContainerResourceRequirements: names, non-negative quantities, requests <= limits.
 */
import type { ResourceRequirements } from 'kubernetes-types/core/v1';
import {
  compareQuantities,
  formatQuantity,
  type Quantity,
  quantityMillis,
  tryParseQuantity,
} from '../quantity.js';
import { type FieldError, forbidden, invalidValue, required } from './field.js';
import { child, key } from './path.js';
import { isQualifiedName } from './strings.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

export const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
/** Names in the kubernetes.io domain (or without a domain) are native; others are extended. */
export const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
export const isExtended = (name: string): boolean => !isNative(name) && !name.startsWith('requests.');
/** Upstream's IsOvercommitAllowed: only native, non-hugepage resources may request less than the limit. */
export const isOvercommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);

/** validateContainerResourceName (pkg/apis/core/validation). */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalidValue(path, name, msg));
  if (errs.length > 0) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      return [invalidValue(path, name, 'must be a standard resource for containers')];
    }
  } else if (!isNative(name) && !isExtended(name)) {
    return [invalidValue(path, name, "doesn't follow extended resource name standard")];
  }
  return [];
}

/** The parsed quantity, or the error naming the field and upstream's parse message. */
export function parseQuantityField(value: unknown, path: string): Quantity | FieldError {
  const q = tryParseQuantity(value);
  return q instanceof Error ? invalidValue(path, value ?? null, q.message) : q;
}

function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  if (q.nanos < 0n) return [invalidValue(path, formatQuantity(q), 'must be greater than or equal to 0')];
  if (isExtended(name) && quantityMillis(q) % 1000n !== 0n)
    return [invalidValue(path, formatQuantity(q), 'must be an integer')];
  return [];
}

function parseList(
  list: Record<string, unknown> | undefined,
  path: string,
  errs: FieldError[],
): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(list ?? {})) {
    const p = key(path, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = parseQuantityField(raw, p);
    if ('type' in q) {
      errs.push(q);
      continue;
    }
    errs.push(...validateQuantityValue(name, q, p));
    out.set(name, q);
  }
  return out;
}

/** Validates `resources` of one container; `path` ends in `.resources`. */
export function validateResourceRequirements(
  res: ResourceRequirements | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits = parseList(res?.limits as Record<string, unknown> | undefined, limPath, errs);
  const requests = parseList(res?.requests as Record<string, unknown> | undefined, reqPath, errs);
  for (const [name, req] of requests) {
    const lim = limits.get(name);
    const shown = formatQuantity(req);
    if (lim) {
      const cmp = compareQuantities(req, lim);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalidValue(reqPath, shown, `must be equal to ${name} limit of ${formatQuantity(lim)}`));
      } else if (cmp > 0) {
        errs.push(
          invalidValue(
            reqPath,
            shown,
            `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`,
          ),
        );
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  const names = [...limits.keys(), ...requests.keys()];
  const hasCpuOrMemory = names.some((n) => n === 'cpu' || n === 'memory');
  if (!hasCpuOrMemory && names.some(isHugePages))
    errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}
