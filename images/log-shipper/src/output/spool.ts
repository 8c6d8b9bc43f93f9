/**
 * One output's on-disk buffer: a directory of batch files, oldest first by name
 * (`<run start ms>-<batch seq>.batch`). A file is one line with the JSON array of the records'
 * read times, then the batch's NDJSON body as is.
 *
 * Contracts:
 * - `append` writes a temporary file and renames it: after a kill, a batch file is complete or
 *   absent. Once `append` returns, the batch survives a crash of this process, which is what lets
 *   the checkpoint move past it.
 * - A batch is removed only after its sink accepted it, so a kill between the two re-sends it once.
 * - Writes are synchronous: they are rare (only while a sink is down) and keeping them on the one
 *   thread keeps ordering trivial.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ShipperError } from '../errors.js';
import type { Batch } from '../pipeline/batch.js';

export interface SpooledBatch {
  readonly name: string;
  readonly batch: Batch;
}

const SUFFIX = '.batch';

export class Spool {
  readonly #dir: string;
  readonly #runStart: string;
  /** Names oldest first, with their sizes. */
  readonly #files: Array<{ name: string; bytes: number }> = [];
  #bytes = 0;

  constructor(dir: string, runStart = Date.now()) {
    this.#dir = dir;
    this.#runStart = String(runStart).padStart(15, '0');
    try {
      mkdirSync(dir, { recursive: true });
      for (const name of readdirSync(dir).sort()) {
        if (name.endsWith('.tmp')) unlinkSync(join(dir, name));
        else if (name.endsWith(SUFFIX)) {
          const bytes = statSync(join(dir, name)).size;
          this.#files.push({ name, bytes });
          this.#bytes += bytes;
        }
      }
    } catch (err) {
      throw new ShipperError('LS_ERR_STATE', `buffer directory ${dir}: ${(err as Error).message}`);
    }
  }

  get bytes(): number {
    return this.#bytes;
  }

  get count(): number {
    return this.#files.length;
  }

  /** Bytes `batch` takes on disk (only computed when spilling, so exactness is cheap enough). */
  static sizeOf(batch: Batch): number {
    return batch.body.length + JSON.stringify(batch.times).length + 1;
  }

  append(batch: Batch): void {
    const name = `${this.#runStart}-${String(batch.seq).padStart(12, '0')}${SUFFIX}`;
    const bytes = this.#write(name, batch);
    this.#files.push({ name, bytes });
    this.#bytes += bytes;
  }

  /** Oldest batch, or null. A file that cannot be decoded is reported, never silently skipped. */
  peek(): SpooledBatch | null {
    const head = this.#files[0];
    if (!head) return null;
    let data: Buffer;
    try {
      data = readFileSync(join(this.#dir, head.name));
    } catch (err) {
      throw new ShipperError('LS_ERR_STATE', `buffer file ${head.name}: ${(err as Error).message}`);
    }
    const nl = data.indexOf(10);
    let times: number[];
    try {
      times = JSON.parse(data.subarray(0, nl).toString('utf8')) as number[];
      if (nl < 0 || !Array.isArray(times)) throw new Error('no times line');
    } catch (err) {
      throw new ShipperError(
        'LS_ERR_STATE',
        `buffer file ${head.name} is damaged: ${(err as Error).message}`,
      );
    }
    return { name: head.name, batch: { seq: -1, body: data.subarray(nl + 1), count: times.length, times } };
  }

  /** Replaces the head batch with fewer records (some were accepted). */
  replaceHead(name: string, batch: Batch): void {
    const head = this.#files[0];
    if (!head || head.name !== name) return;
    const bytes = this.#write(name, batch);
    this.#bytes += bytes - head.bytes;
    head.bytes = bytes;
  }

  /**
   * Moves an undecodable head file aside (`<name>.damaged`) so delivery can go on; the caller
   * reports it. Its records are not lost silently: the file stays for inspection.
   */
  quarantineHead(): string | null {
    const head = this.#files.shift();
    if (!head) return null;
    this.#bytes -= head.bytes;
    try {
      renameSync(join(this.#dir, head.name), join(this.#dir, `${head.name}.damaged`));
    } catch {
      // already gone
    }
    return head.name;
  }

  /** Drops the head batch after its sink accepted it. */
  removeHead(name: string): void {
    const head = this.#files[0];
    if (!head || head.name !== name) return;
    this.#files.shift();
    this.#bytes -= head.bytes;
    try {
      unlinkSync(join(this.#dir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  #write(name: string, batch: Batch): number {
    const header = Buffer.from(`${JSON.stringify(batch.times)}\n`);
    const tmp = join(this.#dir, `${name}.tmp`);
    try {
      const fd = openSync(tmp, 'w');
      try {
        writeAll(fd, header);
        writeAll(fd, batch.body);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(this.#dir, name));
    } catch (err) {
      throw new ShipperError('LS_ERR_STATE', `buffer file ${name}: ${(err as Error).message}`);
    }
    return header.length + batch.body.length;
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
}
