/**
 * Finds the copy a rotation left beside a file, by content: a regular file in the same directory,
 * other than the file itself, whose first bytes have the same fingerprint and that is at least
 * `minSize` long. copytruncate (`cp access.log access.log.1; truncate access.log`) leaves such a
 * copy, holding whatever the writer wrote after our last read and before the truncation — lines
 * fluent-bit and Filebeat lose (Vector's harness). Only `*.1`-style siblings are opened, never more
 * than MAX_CANDIDATES files, so a huge directory cannot stall the reader.
 */
import { type FileHandle, open, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Fingerprint, sameInode, startsWith } from './identity.js';

const MAX_CANDIDATES = 32;

export async function findRotatedCopy(
  path: string,
  fp: Fingerprint,
  minSize: number,
  self: { dev: number; ino: number },
): Promise<{ fh: FileHandle; path: string } | null> {
  if (fp.length === 0) return null;
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  // Likeliest first: names that extend ours (access.log.1, access.log-20261125), newest rotation first.
  const candidates = names
    .filter((n) => n !== base && n.startsWith(base) && !n.endsWith('.gz'))
    .sort()
    .slice(0, MAX_CANDIDATES);
  for (const name of candidates) {
    let fh: FileHandle | undefined;
    const candidate = join(dir, name);
    try {
      fh = await open(candidate, 'r');
      const st = await fh.stat();
      if (st.isFile() && !sameInode(st, self) && st.size >= minSize && (await startsWith(fh, fp))) {
        return { fh, path: candidate };
      }
    } catch {
      // unreadable or vanished: try the next one
    }
    await fh?.close().catch(() => {});
  }
  return null;
}
