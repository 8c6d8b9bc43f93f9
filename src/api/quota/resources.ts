/**
 * ResourceList arithmetic, as k8s.io/apiserver/pkg/quota/v1/resources.go: lists are kept parsed
 * (name → Quantity) while computing and printed with the canonical quantity form only at the edge.
 * A sum keeps the format of its left operand unless that operand is zero, as Quantity.Add does, so
 * `0 + 1Gi` prints `1Gi` and `500m + 500m` prints `1`.
 */
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../quantity.js';

export type ResourceList = ReadonlyMap<string, Quantity>;

export const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

/** resource.NewQuantity(n, DecimalSI). */
export const count = (n: number | bigint): Quantity => ({
  nanos: BigInt(n) * 1_000_000_000n,
  format: 'DecimalSI',
});

/** A wire ResourceList (`{cpu: "500m"}`) parsed; values that do not parse are left out. */
export function parseList(list: Readonly<Record<string, unknown>> | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(list ?? {})) {
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    try {
      out.set(name, parseQuantity(raw));
    } catch {
      // Validation refuses such values before anything is stored; nothing to count.
    }
  }
  return out;
}

/** The wire form, keys sorted (Go marshals maps in key order). */
export function formatList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...list.keys()].sort()) out[name] = formatQuantity(list.get(name)!);
  return out;
}

/** Quantity.Add: the receiver's format, unless it is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

function subQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos - b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** quota.Add: a + b for each name in either. */
export function add(a: ResourceList, b: ResourceList): Map<string, Quantity> {
  const out = new Map(a);
  for (const [name, q] of b) {
    const prev = out.get(name);
    out.set(name, prev ? addQuantity(prev, q) : q);
  }
  return out;
}

/** quota.SubtractWithNonNegativeResult: a - b, floored at zero; names only in b read 0. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, q] of a) {
    const other = b.get(name);
    const diff = other ? subQuantity(q, other) : q;
    out.set(name, diff.nanos > 0n ? diff : ZERO);
  }
  for (const name of b.keys()) if (!out.has(name)) out.set(name, ZERO);
  return out;
}

/** quota.Max: the larger value for each name in either (limitranger's maxResourceList). */
export function max(a: ResourceList, b: ResourceList): Map<string, Quantity> {
  const out = new Map(a);
  for (const [name, q] of b) {
    const prev = out.get(name);
    if (!prev || compareQuantities(prev, q) < 0) out.set(name, q);
  }
  return out;
}

/** quota.Mask: only the named resources. */
export function mask(list: ResourceList, names: Iterable<string>): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const name of names) {
    const q = list.get(name);
    if (q) out.set(name, q);
  }
  return out;
}

/** quota.LessThanOrEqual: whether a ≤ b for every name in both, and the names of a that exceed b. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { ok: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [name, limit] of b) {
    const q = a.get(name);
    if (q && compareQuantities(q, limit) > 0) exceeded.push(name);
  }
  return { ok: exceeded.length === 0, exceeded };
}

/** quota.Equals: the same names with equal values. */
export function equals(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [name, q] of a) {
    const other = b.get(name);
    if (!other || compareQuantities(q, other) !== 0) return false;
  }
  return true;
}

/** quota.RemoveZeros. */
export function removeZeros(list: ResourceList): Map<string, Quantity> {
  return new Map([...list].filter(([, q]) => q.nanos !== 0n));
}

/** quota.IsNegative: the names whose value is below zero. */
export const negativeNames = (list: ResourceList): string[] =>
  [...list].filter(([, q]) => q.nanos < 0n).map(([name]) => name);

/** The resource quota plugin's prettyPrint: `name=value` sorted by name, joined with commas. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((name) => `${name}=${formatQuantity(list.get(name)!)}`)
    .join(',');
}
