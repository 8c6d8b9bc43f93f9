import { randomInt } from 'node:crypto';

/** Kubernetes timestamps are RFC 3339 in UTC with second precision (metav1.Time). */
export const nowRFC3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** metav1.MicroTime: RFC 3339 with microseconds. */
export const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** Upstream's rand.String alphabet: no vowels (no accidental words) and no look-alikes (0/o, 1/l). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix upstream's SimpleNameGenerator appends to metadata.generateName. */
export function generateNameSuffix(length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}
