/**
 * One output's on-disk buffer: a directory of batch files, oldest first by name
 * (`<run start ms>-<batch seq>.ndjson`). Each file holds `<read time ms>\t<record JSON>` lines.
 *
 * Contracts:
 * - `append` writes a temporary file and renames it: after a kill, a batch file is complete or
 *   absent. Once `append` returns, the batch survives a crash of this process, which is what lets
 *   the checkpoint move past it.
 * - A batch is removed only after its sink accepted it, so a kill between the two re-sends it once.
 * - Writes are synchronous: they are rare (only while a sink is down) and keeping them on the one
 *   thread keeps ordering trivial.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShipperError } from '../errors.js';
import type { Batch } from '../pipeline/batch.js';

export interface SpooledBatch {
  readonly name: string;
  readonly batch: Batch;
}

const SUFFIX = '.ndjson';

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

  /** Bytes `batch` will take on disk (close to exact: ASCII-dominated records). */
  static sizeOf(batch: Batch): number {
    return batch.bytes + batch.records.length * 15;
  }

  append(batch: Batch): void {
    const name = `${this.#runStart}-${String(batch.seq).padStart(12, '0')}${SUFFIX}`;
    const bytes = this.#write(name, batch);
    this.#files.push({ name, bytes });
    this.#bytes += bytes;
  }

  /** Oldest batch, or null. Its seq is the file's position; records are the file's lines. */
  peek(): SpooledBatch | null {
    const head = this.#files[0];
    if (!head) return null;
    let text: string;
    try {
      text = readFileSync(join(this.#dir, head.name), 'utf8');
    } catch (err) {
      throw new ShipperError('LS_ERR_STATE', `buffer file ${head.name}: ${(err as Error).message}`);
    }
    const records: string[] = [];
    const times: number[] = [];
    let bytes = 0;
    for (const line of text.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      times.push(Number(line.slice(0, tab)));
      const record = line.slice(tab + 1);
      records.push(record);
      bytes += record.length;
    }
    return { name: head.name, batch: { seq: -1, records, times, bytes } };
  }

  /** Replaces the head batch with fewer records (some were accepted). */
  replaceHead(name: string, batch: Batch): void {
    const head = this.#files[0];
    if (!head || head.name !== name) return;
    const bytes = this.#write(name, batch);
    this.#bytes += bytes - head.bytes;
    head.bytes = bytes;
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
    let text = '';
    for (let i = 0; i < batch.records.length; i++) text += `${batch.times[i]}\t${batch.records[i]}\n`;
    const tmp = join(this.#dir, `${name}.tmp`);
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, join(this.#dir, name));
    } catch (err) {
      throw new ShipperError('LS_ERR_STATE', `buffer file ${name}: ${(err as Error).message}`);
    }
    return Buffer.byteLength(text);
  }
}
