// The migration source: a directory of `{version}_{title}.{up|down}.{ext}` files, read the way
// golang-migrate's file/iofs driver reads it (source/parse.go, source/iofs/iofs.go at v4.15.2):
// directories and names that do not match are skipped (so a ConfigMap's `..data` link is ignored),
// a second file for the same version and direction is a duplicate, versions are uint64.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { MigrateError } from '../errors.js';

export const MIGRATION_FILE = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/s;

export type Direction = 'up' | 'down';

export interface MigrationFile {
  readonly version: bigint;
  readonly identifier: string;
  readonly direction: Direction;
  /** File name inside the source directory. */
  readonly name: string;
  /** Absolute path, for error messages. */
  readonly path: string;
}

/** A sorted, read-only index of the migration files in one directory. */
export class SourceIndex {
  readonly #versions: bigint[];
  readonly #files: Map<bigint, Partial<Record<Direction, MigrationFile>>>;

  constructor(
    readonly dir: string,
    files: Map<bigint, Partial<Record<Direction, MigrationFile>>>,
  ) {
    this.#files = files;
    this.#versions = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get versions(): readonly bigint[] {
    return this.#versions;
  }

  first(): bigint | undefined {
    return this.#versions[0];
  }

  next(version: bigint): bigint | undefined {
    const i = this.#versions.indexOf(version);
    return i >= 0 ? this.#versions[i + 1] : undefined;
  }

  prev(version: bigint): bigint | undefined {
    const i = this.#versions.indexOf(version);
    return i > 0 ? this.#versions[i - 1] : undefined;
  }

  has(version: bigint): boolean {
    return this.#files.has(version);
  }

  file(version: bigint, direction: Direction): MigrationFile | undefined {
    return this.#files.get(version)?.[direction];
  }
}

/** Reads `-path` / `-source file://...` into an index. Throws MigrateError on duplicates or I/O errors. */
export function readSource(dir: string): SourceIndex {
  const abs = isAbsolute(dir) ? dir : resolve(dir);
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new MigrateError(`open ${abs}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`);
  }
  const files = new Map<bigint, Partial<Record<Direction, MigrationFile>>>();
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const m = MIGRATION_FILE.exec(entry.name);
    if (!m) continue;
    const version = BigInt(m[1] as string);
    if (version > 0xffffffffffffffffn) continue; // golang-migrate's ParseUint fails and the file is skipped
    const direction = m[3] as Direction;
    const slot = files.get(version) ?? {};
    if (slot[direction]) throw new MigrateError(`duplicate migration file: ${entry.name}`);
    slot[direction] = {
      version,
      identifier: m[2] as string,
      direction,
      name: entry.name,
      path: join(abs, entry.name),
    };
    files.set(version, slot);
  }
  return new SourceIndex(abs, files);
}

/** Resolves -source / -path into a directory (only file:// sources exist here, as in the seed). */
export function sourceDirFromFlags(source: string, path: string): string | undefined {
  if (source === '' && path !== '') return path;
  if (source === '') return undefined;
  const m = /^file:\/\/(.*)$/.exec(source);
  if (!m) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source)?.[1];
    throw new MigrateError(scheme ? `unknown driver ${scheme} (forgotten import?)` : 'no scheme', 'source');
  }
  // golang-migrate concatenates host and path, so file://./db and file:///abs both work.
  return (m[1] as string) === '' ? process.cwd() : (m[1] as string);
}

export function readBody(file: MigrationFile): Buffer {
  return readFileSync(file.path);
}

export function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** An index with no files, for commands that do not read the source (version, force, drop). */
readSource.empty = (): SourceIndex => new SourceIndex('', new Map());
