/**
 * IPv4 address sets as sorted, disjoint, non-adjacent inclusive intervals: what one nftables
 * interval set holds. Pod IPs (single addresses) and ipBlocks (a CIDR minus its excepts) of one
 * rule are merged here, because nft refuses overlapping elements in a set without auto-merge.
 */
import { intToIp, ipToInt, parseCidr } from '../cidr.js';

export type Interval = readonly [number, number];

export function cidrInterval(text: string): Interval {
  const c = parseCidr(text);
  return [c.base, c.base + c.size - 1];
}

/** `a` without every interval of `minus`. */
export function subtract(a: Interval, minus: readonly Interval[]): Interval[] {
  let out: Interval[] = [a];
  for (const [lo, hi] of minus) {
    const next: Interval[] = [];
    for (const [s, e] of out) {
      if (hi < s || lo > e) {
        next.push([s, e]);
        continue;
      }
      if (lo > s) next.push([s, lo - 1]);
      if (hi < e) next.push([hi + 1, e]);
    }
    out = next;
  }
  return out;
}

/** Sorted, with overlapping and touching intervals joined. */
export function union(items: readonly Interval[]): Interval[] {
  const sorted = [...items].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** An ipBlock as intervals: its CIDR minus the excepts (validation made them subsets). */
export function ipBlockIntervals(cidr: string, except: readonly string[] = []): Interval[] {
  return subtract(cidrInterval(cidr), except.map(cidrInterval));
}

export const ipInterval = (ip: string): Interval => {
  const n = ipToInt(ip);
  return [n, n];
};

/** nft set element text: `a.b.c.d` for one address, `a.b.c.d-e.f.g.h` for a range. */
export const intervalElement = ([s, e]: Interval): string =>
  s === e ? intToIp(s) : `${intToIp(s)}-${intToIp(e)}`;

export const containsAddress = (set: readonly Interval[], ip: string): boolean => {
  const n = ipToInt(ip);
  return set.some(([s, e]) => n >= s && n <= e);
};
