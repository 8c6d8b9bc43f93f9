/**
 * A batch: records serialised once, as NDJSON bytes in one Buffer, plus what the checkpoint needs.
 * Keeping the bytes (not an array of strings) means the NDJSON, stdout and file outputs write the
 * buffer as is, the per-record strings die young (cheap for the GC), and memory is counted exactly.
 */
import type { Fingerprint } from '../input/identity.js';

export interface Batch {
  readonly seq: number;
  /** Each record's JSON followed by `\n`; records never contain a raw newline. */
  readonly body: Buffer;
  readonly count: number;
  /** Read time (ms since epoch) of each record; Loki and syslog need a timestamp per entry. */
  readonly times: readonly number[];
}

export interface CutBatch extends Batch {
  /** Tailer id → offset just past this batch's last line from that file. */
  readonly positions: Map<string, number>;
  /** Tailer id → the file's new fingerprint (it grew, or was truncated and refilled). */
  readonly identities: Map<string, Fingerprint>;
  /** Read time of its first record. */
  readonly openedAt: number;
}

/** The records as strings (for encoders that wrap each record). */
export function batchRecords(batch: Batch): string[] {
  const records = batch.body.toString('utf8').split('\n');
  records.pop();
  return records;
}

export function batchFromRecords(seq: number, records: readonly string[], times: readonly number[]): Batch {
  const body = Buffer.from(records.length === 0 ? '' : `${records.join('\n')}\n`);
  return { seq, body, count: records.length, times };
}

/** Spare batch bodies kept for reuse (each max_bytes): enough for the memory queue and one in flight. */
const POOL_MAX = 4;

/**
 * Collects records until max_events or max_bytes, then cuts a batch; the caller cuts on timeout too.
 *
 * Cut bodies come from a small pool of max_bytes buffers, given back with `release` once every
 * output holds the batch safely (sent, or written to its disk buffer). A fresh ~1 MiB body per
 * batch used to outlive V8's young generation (it waits for its HTTP round trip or for room in
 * the queue), so the bodies piled up as external memory until a full GC: 10–20 MiB of RSS.
 */
export class Batcher {
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  #seq = 0;
  #buf: Buffer;
  #used = 0;
  #times: number[] = [];
  #positions = new Map<string, number>();
  #identities = new Map<string, Fingerprint>();
  #openedAt = 0;
  readonly #ready: CutBatch[] = [];
  readonly #free: Buffer[] = [];
  /** Pooled buffers currently lent to a batch (guards against a double or foreign release). */
  readonly #lent = new WeakSet<ArrayBufferLike>();
  #pooling = true;

  constructor(maxEvents: number, maxBytes: number) {
    this.#maxEvents = maxEvents;
    this.#maxBytes = maxBytes;
    this.#buf = Buffer.allocUnsafeSlow(maxBytes);
  }

  add(record: string, time: number, source: string, end: number): void {
    // A UTF-16 unit takes at most 3 UTF-8 bytes; check exactly only when the quick bound fails.
    let need = record.length * 3 + 1;
    if (this.#used + need > this.#buf.length) {
      need = Buffer.byteLength(record) + 1;
      if (this.#used + need > this.#buf.length) {
        this.cut();
        if (need > this.#buf.length) this.#buf = Buffer.allocUnsafe(need); // one oversized record
      }
    }
    if (this.#times.length === 0) this.#openedAt = time;
    this.#used += this.#buf.write(record, this.#used);
    this.#buf[this.#used++] = 10;
    this.#times.push(time);
    this.#positions.set(source, end);
    if (this.#times.length >= this.#maxEvents || this.#used >= this.#maxBytes) this.cut();
  }

  /** Records a file position without a record (e.g. an empty line), so the checkpoint moves. */
  advance(source: string, end: number): void {
    this.#positions.set(source, end);
  }

  /** The file's identity changed; recorded in order with its lines so checkpoints stay consistent. */
  identify(source: string, fingerprint: Fingerprint): void {
    this.#identities.set(source, fingerprint);
  }

  /** Ms since the first record of the open batch arrived, or -1 when it is empty. */
  age(now: number): number {
    return this.#times.length === 0 ? -1 : now - this.#openedAt;
  }

  get pendingRecords(): number {
    return this.#times.length;
  }

  cut(): void {
    if (this.#times.length === 0) return;
    this.#ready.push({
      seq: ++this.#seq,
      body: this.#handOver(),
      count: this.#times.length,
      times: this.#times,
      positions: this.#positions,
      identities: this.#identities,
      openedAt: this.#openedAt,
    });
    this.#used = 0;
    this.#times = [];
    this.#positions = new Map();
    this.#identities = new Map();
  }

  /**
   * Gives a cut batch's body back for reuse. Only call it once nothing reads the body any more
   * (every output sent it or wrote it to disk); anything not cut by this Batcher is ignored.
   */
  release(body: Buffer): void {
    const ab = body.buffer;
    if (!this.#lent.has(ab)) return;
    this.#lent.delete(ab);
    if (this.#pooling && this.#free.length < POOL_MAX) this.#free.push(Buffer.from(ab, 0, this.#maxBytes));
  }

  /**
   * No more reuse from now on (shutdown): a batch spilled to disk at shutdown may still be in a
   * sink's hands, so its buffer must not be filled again.
   */
  stopPooling(): void {
    this.#pooling = false;
    this.#free.length = 0;
  }

  /**
   * The filled buffer itself becomes the batch's body (no copy) and filling goes on in a spare:
   * the batch may wait in a queue while we keep filling. Only max_bytes buffers are lent and
   * pooled; one grown for an oversized record goes with its batch and is left to the GC.
   */
  #handOver(): Buffer {
    const filled = this.#buf;
    const body = filled.subarray(0, this.#used);
    if (this.#pooling && filled.length === this.#maxBytes) this.#lent.add(filled.buffer);
    this.#buf = (this.#pooling ? this.#free.pop() : undefined) ?? Buffer.allocUnsafeSlow(this.#maxBytes);
    return body;
  }

  /** Takes the batches cut so far, oldest first. */
  takeReady(): CutBatch[] {
    return this.#ready.splice(0, this.#ready.length);
  }
}
