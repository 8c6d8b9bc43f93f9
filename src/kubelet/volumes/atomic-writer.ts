/**
 * kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go) for configMap, secret, downwardAPI
 * and projected volumes. Readers never see a half-written update:
 *
 *   <dir>/..2026_01_02_15_04_05.123456789/<files>   a fresh timestamped directory per change
 *   <dir>/..data -> ..2026_01_02_...                swapped by rename(2) of ..data_tmp
 *   <dir>/<key>  -> ..data/<key>                    one symlink per top-level path
 *
 * Steps: validate paths; stop if the payload equals what ..data holds; write the new directory;
 * swap ..data; add missing user-visible symlinks; remove the old directory and the symlinks of
 * paths no longer in the payload. Only the writer of a volume calls write (one per volume).
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export const DATA_DIR_NAME = '..data';
const DATA_DIR_TMP_NAME = '..data_tmp';
const MAX_PATH_LENGTH = 4096;
const MAX_FILE_NAME_LENGTH = 255;

export interface FileProjection {
  readonly data: Buffer;
  /** Permission bits (e.g. 0o644). */
  readonly mode: number;
}

/** relative path → content; paths may contain `/`. */
export type Payload = ReadonlyMap<string, FileProjection>;

export class PayloadPathError extends Error {
  override readonly name = 'PayloadPathError';
}

/** validatePath: relative, no `..` element, no leading `..`, bounded length. */
export function validatePayloadPath(target: string): void {
  if (target === '') throw new PayloadPathError('invalid path: must not be empty');
  if (target.length > MAX_PATH_LENGTH)
    throw new PayloadPathError(`invalid path: must be less than or equal to ${MAX_PATH_LENGTH} characters`);
  if (path.isAbsolute(target)) throw new PayloadPathError(`invalid path: must be relative path: ${target}`);
  const items = target.split('/');
  for (const item of items) {
    if (item === '..') throw new PayloadPathError(`invalid path: must not contain '..': ${target}`);
    if (item.length > MAX_FILE_NAME_LENGTH)
      throw new PayloadPathError(
        `invalid path: filenames must be less than or equal to ${MAX_FILE_NAME_LENGTH} characters`,
      );
  }
  if (items[0]?.startsWith('..'))
    throw new PayloadPathError(`invalid path: must not start with '..': ${target}`);
}

export class AtomicWriter {
  constructor(readonly targetDir: string) {}

  /** Projects `payload` into the target directory; returns false when nothing changed. */
  async write(payload: Payload, setPerms?: (dir: string) => Promise<void>): Promise<boolean> {
    const clean = new Map<string, FileProjection>();
    for (const [p, file] of payload) {
      validatePayloadPath(p);
      clean.set(path.posix.normalize(p), file);
    }
    const dataDirPath = path.join(this.targetDir, DATA_DIR_NAME);
    const oldTsName = await fs.readlink(dataDirPath).catch(() => '');
    const oldTsPath = oldTsName ? path.join(this.targetDir, oldTsName) : '';
    const oldPaths = oldTsPath ? await listFiles(oldTsPath) : new Set<string>();
    if (oldTsPath && (await this.#sameContent(oldTsPath, oldPaths, clean))) return false;

    const tsDir = await makeTimestampedDir(this.targetDir, new Date());
    for (const [p, file] of clean) {
      const full = path.join(tsDir, p);
      await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
      await fs.writeFile(full, file.data, { mode: file.mode });
      await fs.chmod(full, file.mode); // writeFile's mode is subject to the umask
    }
    if (setPerms) await setPerms(tsDir);

    const tmpLink = path.join(this.targetDir, DATA_DIR_TMP_NAME);
    await fs.rm(tmpLink, { force: true });
    await fs.symlink(path.basename(tsDir), tmpLink);
    await fs.rename(tmpLink, dataDirPath);

    const newTop = new Set([...clean.keys()].map((p) => p.split('/')[0] as string));
    for (const top of newTop) {
      const link = path.join(this.targetDir, top);
      const existing = await fs.lstat(link).catch(() => undefined);
      if (!existing) await fs.symlink(path.join(DATA_DIR_NAME, top), link);
    }
    if (oldTsPath) await fs.rm(oldTsPath, { recursive: true, force: true });
    const oldTop = new Set([...oldPaths].map((p) => p.split('/')[0] as string));
    for (const top of oldTop) {
      if (!newTop.has(top)) await fs.rm(path.join(this.targetDir, top), { recursive: true, force: true });
    }
    return true;
  }

  async #sameContent(
    tsPath: string,
    oldPaths: Set<string>,
    payload: Map<string, FileProjection>,
  ): Promise<boolean> {
    if (oldPaths.size !== payload.size) return false;
    for (const [p, file] of payload) {
      if (!oldPaths.has(p)) return false;
      const full = path.join(tsPath, p);
      const [content, stat] = await Promise.all([fs.readFile(full), fs.stat(full)]);
      if (!content.equals(file.data) || (stat.mode & 0o7777) !== file.mode) return false;
    }
    return true;
  }
}

/**
 * `..2006_01_02_15_04_05.<random digits>` (UTC), 0755, as os.MkdirTemp names it for kubelet.
 * Retries on the (unlikely) name collision, a bounded number of times.
 */
async function makeTimestampedDir(parent: string, now: Date): Promise<string> {
  const p = (n: number) => String(n).padStart(2, '0');
  const prefix = `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const dir = path.join(parent, `${prefix}${randomInt(2 ** 32 - 1)}`);
    try {
      await fs.mkdir(dir, { mode: 0o755 });
      await fs.chmod(dir, 0o755);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`could not create a timestamped directory in ${parent}`);
}

/** Relative paths of regular files under dir. */
async function listFiles(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else out.add(child);
    }
  };
  await walk('').catch(() => undefined);
  return out;
}
