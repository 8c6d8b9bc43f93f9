import type { Fingerprint } from '../input/identity.js';

/**
 * A batch: serialised records plus, for the checkpoint, the offset each file reached. Batches are
 * numbered in the order they are cut; outputs deliver them in that order.
 */

export interface Batch {
  readonly seq: number;
  /** One JSON object per record, without newline. */
  readonly records: string[];
  /** Read time (ms since epoch) of each record; Loki needs a timestamp per entry. */
  readonly times: number[];
  /** Sum of the records' lengths (UTF-16 units, close to bytes for log text). */
  readonly bytes: number;
}

export interface CutBatch extends Batch {
  /** Tailer id → offset just past this batch's last line from that file. */
  readonly positions: Map<string, number>;
  /** Tailer id → the file's new fingerprint (it grew, or was truncated and refilled). */
  readonly identities: Map<string, Fingerprint>;
  /** Read time of its first record. */
  readonly openedAt: number;
}

/** Collects records until max_events or max_bytes, then cuts a batch; the caller cuts on timeout too. */
export class Batcher {
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  #seq = 0;
  #records: string[] = [];
  #times: number[] = [];
  #bytes = 0;
  #positions = new Map<string, number>();
  #identities = new Map<string, Fingerprint>();
  #openedAt = 0;
  readonly #ready: CutBatch[] = [];

  constructor(maxEvents: number, maxBytes: number) {
    this.#maxEvents = maxEvents;
    this.#maxBytes = maxBytes;
  }

  add(record: string, time: number, source: string, end: number): void {
    if (this.#records.length === 0) this.#openedAt = time;
    this.#records.push(record);
    this.#times.push(time);
    this.#bytes += record.length;
    this.#positions.set(source, end);
    if (this.#records.length >= this.#maxEvents || this.#bytes >= this.#maxBytes) this.cut();
  }

  /** Records a file position without a record (e.g. a skipped empty tail), so the checkpoint moves. */
  advance(source: string, end: number): void {
    this.#positions.set(source, end);
  }

  /** The file's identity changed; recorded in order with its lines so checkpoints stay consistent. */
  identify(source: string, fingerprint: Fingerprint): void {
    this.#identities.set(source, fingerprint);
  }

  /** Ms since the first record of the open batch arrived, or -1 when it is empty. */
  age(now: number): number {
    return this.#records.length === 0 ? -1 : now - this.#openedAt;
  }

  get pendingRecords(): number {
    return this.#records.length;
  }

  cut(): void {
    if (this.#records.length === 0) return;
    this.#ready.push({
      seq: ++this.#seq,
      records: this.#records,
      times: this.#times,
      bytes: this.#bytes,
      positions: this.#positions,
      identities: this.#identities,
      openedAt: this.#openedAt,
    });
    this.#identities = new Map();
    this.#records = [];
    this.#times = [];
    this.#bytes = 0;
    this.#positions = new Map();
  }

  /** Takes the batches cut so far, oldest first. */
  takeReady(): CutBatch[] {
    return this.#ready.splice(0, this.#ready.length);
  }
}
