/**
 * File identity: device + inode, plus a fingerprint of the file's first bytes. The inode alone is
 * not enough (inode numbers are reused after deletion, and copytruncate keeps the inode while
 * replacing the content); the fingerprint alone is not enough for files that are still shorter
 * than FINGERPRINT_BYTES. Vector and Filebeat fingerprint too; fluent-bit uses the inode only.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** How many leading bytes the fingerprint covers (fewer while the file is shorter). */
export const FINGERPRINT_BYTES = 256;

export interface Fingerprint {
  /** Number of leading bytes hashed (0 … FINGERPRINT_BYTES). */
  readonly length: number;
  /** Hex SHA-256 prefix of those bytes. */
  readonly hash: string;
}

export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly fingerprint: Fingerprint;
}

export function hashPrefix(bytes: Buffer): Fingerprint {
  return { length: bytes.length, hash: createHash('sha256').update(bytes).digest('hex').slice(0, 32) };
}

/** Fingerprint of the first `length` bytes (default: as many as FINGERPRINT_BYTES allows). */
export async function readFingerprint(fh: FileHandle, length = FINGERPRINT_BYTES): Promise<Fingerprint> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return hashPrefix(buf.subarray(0, got));
}

/**
 * Whether a file still holds the content a fingerprint was taken of: its first `fp.length` bytes
 * hash the same. An empty fingerprint matches nothing but the same inode (checked by callers).
 */
export async function startsWith(fh: FileHandle, fp: Fingerprint): Promise<boolean> {
  if (fp.length === 0) return true;
  const now = await readFingerprint(fh, fp.length);
  return now.length === fp.length && now.hash === fp.hash;
}

export function sameInode(a: { dev: number; ino: number }, b: { dev: number; ino: number }): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}
