/**
 * Splits a file's bytes into lines and tracks the offset just past the last complete line — the
 * only offset that is ever safe to checkpoint.
 *
 * Contracts:
 * - A partial last line is held until its newline arrives (fluent-bit #5382: never ship half a line
 *   because the writer has not finished it). `takePartial` hands it over when the file is abandoned.
 * - A line longer than `maxLineBytes` is cut to that many bytes and reported with its full length;
 *   the rest of it is skipped, never silently dropped: the caller marks the record `truncated`.
 * - Memory held is at most `maxLineBytes` plus one read chunk.
 */

export interface SplitLine {
  /** The line without its `\n` (and without a `\r` before it); at most maxLineBytes long. */
  readonly bytes: Buffer;
  /** Offset just past the line's `\n` in the file. */
  readonly end: number;
  /** Length of the whole line when it was cut, else equal to bytes.length. */
  readonly originalBytes: number;
}

export type LineSink = (line: SplitLine) => void;

export class LineSplitter {
  readonly #maxLineBytes: number;
  /** Offset just past the last complete line handed out. */
  #committed: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Total length of the current partial line, including bytes skipped after the cut. */
  #pendingOriginal = 0;

  constructor(maxLineBytes: number, startOffset: number) {
    this.#maxLineBytes = maxLineBytes;
    this.#committed = startOffset;
  }

  /** Offset just past the last complete line. */
  get committedOffset(): number {
    return this.#committed;
  }

  /** Bytes of the partial line seen so far (including skipped ones). */
  get partialBytes(): number {
    return this.#pendingOriginal;
  }

  /** Feed the next chunk; it must start where the previous one ended. */
  push(chunk: Buffer, emit: LineSink): void {
    let pos = 0;
    let fileOffset = this.#committed + this.#pendingOriginal;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.#hold(chunk.subarray(pos));
        return;
      }
      const piece = chunk.subarray(pos, nl);
      fileOffset += nl + 1 - pos;
      let line: Buffer;
      let original: number;
      if (this.#pendingOriginal === 0) {
        original = piece.length;
        line = piece.length > this.#maxLineBytes ? piece.subarray(0, this.#maxLineBytes) : piece;
      } else {
        this.#hold(piece);
        original = this.#pendingOriginal;
        line = Buffer.concat(this.#pending, this.#pendingBytes);
        this.#pending = [];
        this.#pendingBytes = 0;
        this.#pendingOriginal = 0;
      }
      if (line.length > 0 && line[line.length - 1] === 13 && original === line.length) {
        line = line.subarray(0, line.length - 1);
        original -= 1;
      }
      this.#committed = fileOffset;
      emit({ bytes: line, end: fileOffset, originalBytes: original });
      pos = nl + 1;
    }
  }

  /** Hands over the held partial line (the file was abandoned) and clears it; null when none. */
  takePartial(): SplitLine | null {
    if (this.#pendingOriginal === 0) return null;
    const line = Buffer.concat(this.#pending, this.#pendingBytes);
    const original = this.#pendingOriginal;
    this.#committed += original;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingOriginal = 0;
    return { bytes: line, end: this.#committed, originalBytes: original };
  }

  /** Forget everything and restart at `offset` (after truncation). */
  reset(offset: number): void {
    this.#committed = offset;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingOriginal = 0;
  }

  #hold(piece: Buffer): void {
    this.#pendingOriginal += piece.length;
    const room = this.#maxLineBytes - this.#pendingBytes;
    if (room <= 0 || piece.length === 0) return;
    // Copy: the caller reuses its read buffer.
    const kept = Buffer.from(piece.subarray(0, room));
    this.#pending.push(kept);
    this.#pendingBytes += kept.length;
  }
}
