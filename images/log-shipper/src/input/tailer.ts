/**
 * Follows one file (one identity, whatever its path becomes) from an offset, read-only.
 *
 * Lifecycle:
 *   open ──read…──▶ EOF ◀──grows── … ──path renamed away / unlinked──▶ draining
 *   draining ──read to EOF, no growth for rotate_wait──▶ finished (partial line handed over, fd closed)
 *
 * Keeping the descriptor open is what follows rename rotation: nginx keeps writing to the
 * renamed file until it reopens its logs, and we keep reading it. Truncation (copytruncate) is
 * checked before every read: the size fell below our offset, or the first bytes changed. Lines
 * written between our offset and the truncation are then read from the rotated copy, found in the
 * same directory by fingerprint (rotated-copy.ts), before the file is read again from 0.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { FINGERPRINT_BYTES, type Fingerprint, readFingerprint, startsWith } from './identity.js';
import { type LineSink, LineSplitter } from './line-splitter.js';
import { findRotatedCopy } from './rotated-copy.js';

export interface TailerEvents {
  /** Lines are handed over synchronously; `line.bytes` is valid only during the call. */
  readonly onLine: LineSink;
  /** The file shrank or its first bytes changed; `recoveredBytes` were read from a rotated copy. */
  readonly onTruncated: (tailer: Tailer, recoveredBytes: number) => void;
  /** The fingerprint changed; called after the lines read under the old one were handed over. */
  readonly onIdentity: (tailer: Tailer) => void;
}

export interface TailerOptions {
  readonly id: string;
  readonly path: string;
  readonly maxLineBytes: number;
  readonly events: TailerEvents;
}

export class Tailer {
  readonly id: string;
  path: string;
  readonly dev: number;
  readonly ino: number;
  readonly #fh: FileHandle;
  readonly #splitter: LineSplitter;
  readonly #events: TailerEvents;
  #fingerprint: Fingerprint;
  #readOffset = 0;
  #size: number;
  /** When the path stopped naming this file (or it was unlinked); null while it is current. */
  drainingSince: number | null = null;
  lastGrowthAt = Date.now();

  private constructor(
    o: TailerOptions,
    fh: FileHandle,
    st: { dev: number; ino: number; size: number },
    fp: Fingerprint,
  ) {
    this.id = o.id;
    this.path = o.path;
    this.dev = st.dev;
    this.ino = st.ino;
    this.#size = st.size;
    this.#fh = fh;
    this.#fingerprint = fp;
    this.#events = o.events;
    this.#splitter = new LineSplitter(o.maxLineBytes, 0);
  }

  /** Opens read-only. Throws the fs error (EACCES, ENOENT, …) for the caller to report. */
  static async open(o: TailerOptions): Promise<Tailer> {
    const fh = await open(o.path, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw Object.assign(new Error(`${o.path}: not a regular file`), { code: 'ENOTFILE' });
      return new Tailer(o, fh, st, await readFingerprint(fh));
    } catch (err) {
      await fh.close().catch(() => {});
      throw err;
    }
  }

  get fingerprint(): Fingerprint {
    return this.#fingerprint;
  }

  get size(): number {
    return this.#size;
  }

  /** Offset just past the last complete line read (what a checkpoint may record). */
  get committedOffset(): number {
    return this.#splitter.committedOffset;
  }

  /** Bytes in the file not read yet (for the lag metric). */
  get lagBytes(): number {
    return Math.max(0, this.#size - this.#readOffset);
  }

  /** Start reading at `offset` (a checkpoint, 0, or the size for read_from tail). */
  seek(offset: number): void {
    this.#readOffset = offset;
    this.#splitter.reset(offset);
  }

  /**
   * Reads the next chunk into `buf` and hands its complete lines over. Returns the bytes read
   * (0 at EOF). Detects truncation and replacement first, so it never reads a new file's middle
   * as the continuation of the old one.
   */
  async readChunk(buf: Buffer): Promise<number> {
    const st = await this.#fh.stat();
    this.#size = st.size;
    if (st.nlink === 0 && this.drainingSince === null) this.drainingSince = Date.now();
    if (st.size < this.#readOffset || !(await startsWith(this.#fh, this.#fingerprint))) {
      await this.#restartAfterTruncation();
      return 1; // progress was made; the caller loops again
    }
    if (st.size === this.#readOffset) return 0;
    const want = Math.min(buf.length, st.size - this.#readOffset);
    const { bytesRead } = await this.#fh.read(buf, 0, want, this.#readOffset);
    if (bytesRead === 0) return 0;
    this.#readOffset += bytesRead;
    this.lastGrowthAt = Date.now();
    this.#splitter.push(buf.subarray(0, bytesRead), this.#events.onLine);
    if (this.#fingerprint.length < FINGERPRINT_BYTES && this.#readOffset > this.#fingerprint.length) {
      this.#fingerprint = await readFingerprint(this.#fh);
      this.#events.onIdentity(this);
    }
    return bytesRead;
  }

  /** Hands over a held partial line; only when the file is being abandoned. */
  flushPartial(): void {
    const partial = this.#splitter.takePartial();
    if (partial) this.#events.onLine(partial);
  }

  /** Safe to call twice. */
  async close(): Promise<void> {
    await this.#fh.close().catch(() => {});
  }

  async #restartAfterTruncation(): Promise<void> {
    let recovered = 0;
    const copy = await findRotatedCopy(this.path, this.#fingerprint, this.#readOffset, this);
    if (copy) {
      const fh = copy.fh;
      try {
        const buf = Buffer.allocUnsafe(1024 * 1024);
        let pos = this.#readOffset;
        for (;;) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
          recovered += bytesRead;
          this.#splitter.push(buf.subarray(0, bytesRead), this.#events.onLine);
        }
      } finally {
        await fh.close().catch(() => {});
      }
    }
    // The copy ends where the writer was truncated: a partial line there is all there will be.
    this.flushPartial();
    this.#events.onTruncated(this, recovered);
    this.seek(0);
    this.#fingerprint = await readFingerprint(this.#fh);
    this.#events.onIdentity(this);
  }
}
