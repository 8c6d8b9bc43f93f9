/**
 * Source of truth for what has been safely shipped from each followed file: its identity and the
 * offset just past the last line every output has delivered or written to its disk buffer.
 * Persisted as `checkpoints.json` in the state directory.
 *
 * Contracts:
 * - Only CheckpointTracker advances offsets, and only for batches all outputs hold safely.
 * - `flush` writes a temporary file and renames it over the old one, so a kill at any moment
 *   leaves either the old or the new file, never a torn one. It is synchronous on purpose: it runs
 *   after each acknowledged batch, and the next batch waits for it — that is what bounds the
 *   duplicates after a kill to the batch in flight.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShipperError } from '../errors.js';
import type { Fingerprint } from '../input/identity.js';

export interface CheckpointEntry {
  path: string;
  dev: number;
  ino: number;
  fingerprint: Fingerprint;
  /** Offset just past the last line safely shipped. */
  offset: number;
  /** Set when the file was abandoned (rotated away or deleted) after being read to this offset. */
  finalOffset?: number;
}

interface StateFile {
  version: 1;
  files: CheckpointEntry[];
}

export class CheckpointStore {
  readonly #file: string;
  /** Keyed by tailer id; entries loaded from disk get ids `restored-N` until a tailer adopts them. */
  readonly #entries = new Map<string, CheckpointEntry>();
  #dirty = false;

  private constructor(file: string) {
    this.#file = file;
  }

  /** Creates the state directory if needed and loads the previous run's checkpoints. */
  static open(stateDir: string): CheckpointStore {
    try {
      mkdirSync(stateDir, { recursive: true });
    } catch (err) {
      throw new ShipperError('LS_ERR_STATE', `state_dir ${stateDir}: ${(err as Error).message}`);
    }
    const store = new CheckpointStore(join(stateDir, 'checkpoints.json'));
    let text: string | undefined;
    try {
      text = readFileSync(store.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ShipperError('LS_ERR_STATE', `${store.#file}: ${(err as Error).message}`);
      }
    }
    if (text !== undefined) {
      let doc: StateFile;
      try {
        doc = JSON.parse(text) as StateFile;
      } catch (err) {
        throw new ShipperError('LS_ERR_STATE', `${store.#file}: not valid JSON (${(err as Error).message})`);
      }
      (doc.files ?? []).forEach((e, i) => {
        store.#entries.set(`restored-${i}`, e);
      });
    }
    // Prove the directory is writable now rather than at the first acknowledged batch.
    store.#dirty = true;
    store.flush();
    return store;
  }

  /** Entries left from the previous run that no tailer has adopted yet. */
  restored(): Array<[string, CheckpointEntry]> {
    return [...this.#entries].filter(([id]) => id.startsWith('restored-'));
  }

  get(id: string): CheckpointEntry | undefined {
    return this.#entries.get(id);
  }

  /** Registers a followed file (or re-keys a restored entry under the tailer's id). */
  track(id: string, entry: CheckpointEntry, replaces?: string): void {
    if (replaces !== undefined) this.#entries.delete(replaces);
    this.#entries.set(id, entry);
    this.#dirty = true;
  }

  /**
   * The tailer is gone but the file may be opened again: its entry becomes a restored one, so the
   * next open resumes at the committed offset (lines in flight may then be read twice, never lost).
   */
  release(id: string): void {
    const e = this.#entries.get(id);
    if (!e) return;
    this.#entries.delete(id);
    this.#entries.set(`restored-${id}`, e);
    this.#dirty = true;
  }

  forget(id: string): void {
    if (this.#entries.delete(id)) this.#dirty = true;
  }

  update(id: string, patch: Partial<CheckpointEntry>): void {
    const e = this.#entries.get(id);
    if (!e) return;
    Object.assign(e, patch);
    this.#dirty = true;
  }

  /** The file was abandoned at `finalOffset`; its entry goes once that offset is committed. */
  finish(id: string, finalOffset: number): void {
    const e = this.#entries.get(id);
    if (!e) return;
    e.finalOffset = finalOffset;
    if (e.offset >= finalOffset) this.#entries.delete(id);
    this.#dirty = true;
  }

  /**
   * Only CheckpointTracker calls this, in batch order. The offset may go down: after a truncation
   * the file is read again from 0, and batches arrive in the order they were read.
   */
  advance(id: string, offset: number): void {
    const e = this.#entries.get(id);
    if (!e || offset === e.offset) return;
    e.offset = offset;
    this.#dirty = true;
    if (e.finalOffset !== undefined && e.offset >= e.finalOffset) this.#entries.delete(id);
  }

  /** Writes the file if anything changed. Safe to call at any time and repeatedly. */
  flush(): void {
    if (!this.#dirty) return;
    const doc: StateFile = { version: 1, files: [...this.#entries.values()] };
    const tmp = `${this.#file}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(doc));
      renameSync(tmp, this.#file);
    } catch (err) {
      throw new ShipperError('LS_ERR_STATE', `${this.#file}: ${(err as Error).message}`);
    }
    this.#dirty = false;
  }
}
