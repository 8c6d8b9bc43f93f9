/**
 * The pod-template-hash, as upstream's controller.ComputeHash: FNV-1a (32 bit) over the
 * template, then the collision count as 8 little-endian bytes when set, printed in decimal and
 * mapped byte by byte onto SafeEncodeString's alphabet (no vowels, no 0/1/3).
 *
 * Not byte-identical to upstream: upstream hashes a go-spew dump of the Go struct (type names,
 * field order, pointer-following), which has no JSON equivalent. We hash a canonical JSON
 * (keys sorted, nulls dropped) instead. What matters is kept: the hash is stable for a given
 * template, changes when the template changes, and is salted by collisionCount.
 */

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString. */
export const safeEncodeString = (s: string): string =>
  [...Buffer.from(s, 'utf8')].map((b) => SAFE_ALPHABET[b % SAFE_ALPHABET.length]).join('');

export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(template), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = Buffer.alloc(8);
    extra.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
