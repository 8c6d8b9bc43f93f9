/**
 * Protobuf wire primitives over one request body. Offsets are absolute into the body (magic included), so
 * an error names the byte a client can find in a hex dump. Every read is bounds-checked against `end`,
 * the end of the message currently being read; the reader never looks past it.
 * Failures throw WireFormatError (offset + reason); the message decoder adds the field path.
 */

/** proto wire types (https://protobuf.dev/programming-guides/encoding/#structure). */
export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;
export type WireTypeValue = (typeof WireType)[keyof typeof WireType];

export const WIRE_TYPE_NAMES: readonly string[] = [
  'varint',
  'fixed64',
  'length-delimited',
  'start-group',
  'end-group',
  'fixed32',
];

/** A malformed byte sequence at `offset`. Not an ApiError yet: the caller knows the field path. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`at byte ${offset}: ${reason}`);
  }
}

export interface Tag {
  readonly fieldNumber: number;
  readonly wireType: WireTypeValue;
  /** Offset of the tag's first byte. */
  readonly offset: number;
}

const MAX_VARINT_BYTES = 10;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class WireReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
  ) {
    this.pos = start;
  }

  /**
   * Reads an unsigned varint of up to 64 bits. Fast path in doubles while the value fits 28 bits (every tag,
   * length and small int), BigInt beyond. Rejects truncation at `end` and encodings over 10 bytes or 2^64.
   */
  readVarint(end: number): bigint {
    const start = this.pos;
    let small = 0;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= end) throw new WireFormatError(start, 'truncated varint');
      const b = this.buf[this.pos++]!;
      small |= (b & 0x7f) << (7 * i);
      if (b < 0x80) return BigInt(small);
    }
    let value = BigInt(small >>> 0);
    for (let i = 4; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= end) throw new WireFormatError(start, 'truncated varint');
      const b = this.buf[this.pos++]!;
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        if (i === MAX_VARINT_BYTES - 1 && b > 1) throw new WireFormatError(start, 'varint overflows 64 bits');
        return value;
      }
    }
    throw new WireFormatError(start, 'varint longer than 10 bytes');
  }

  /** A varint that must fit in a JS number below `max` (tags, lengths). */
  readSmallVarint(end: number, max: number, what: string): number {
    const start = this.pos;
    // Tags and lengths nearly always fit 28 bits: stay in doubles and skip the BigInt path.
    let small = 0;
    for (let i = 0; i < 4 && this.pos < end; i++) {
      const b = this.buf[this.pos++]!;
      small |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        if (small > max) throw new WireFormatError(start, `${what} ${small} is out of range`);
        return small;
      }
    }
    this.pos = start;
    const v = this.readVarint(end);
    if (v > BigInt(max)) throw new WireFormatError(start, `${what} ${v} is out of range`);
    return Number(v);
  }

  readTag(end: number): Tag {
    const offset = this.pos;
    const key = this.readSmallVarint(end, 0xffffffff, 'field tag');
    const fieldNumber = Math.floor(key / 8);
    const wireType = key % 8;
    if (fieldNumber === 0) throw new WireFormatError(offset, 'field number 0 is not allowed');
    if (wireType > WireType.fixed32) throw new WireFormatError(offset, `invalid wire type ${wireType}`);
    return { fieldNumber, wireType: wireType as WireTypeValue, offset };
  }

  /** Reads a length prefix and returns the [start, end) of the payload, which must lie within `end`. */
  readLengthDelimited(end: number): { start: number; end: number } {
    const at = this.pos;
    const length = this.readSmallVarint(end, Number.MAX_SAFE_INTEGER, 'length');
    const start = this.pos;
    if (length > end - start) {
      throw new WireFormatError(
        at,
        `length ${length} runs past the end of the message (${end - start} bytes left)`,
      );
    }
    this.pos = start + length;
    return { start, end: start + length };
  }

  /** Strict UTF-8: invalid sequences are a client error, not U+FFFD. */
  decodeUtf8(start: number, end: number): string {
    try {
      return utf8.decode(this.buf.subarray(start, end));
    } catch {
      throw new WireFormatError(start, 'string is not valid UTF-8');
    }
  }

  /**
   * Skips the value of an unknown field (forward compatibility). Groups are skipped by walking to the
   * matching end-group; `depthLeft` bounds how deeply they may nest.
   */
  skip(tag: Tag, end: number, depthLeft: number): void {
    switch (tag.wireType) {
      case WireType.varint:
        this.readVarint(end);
        return;
      case WireType.fixed64:
        this.skipBytes(8, end, tag.offset);
        return;
      case WireType.fixed32:
        this.skipBytes(4, end, tag.offset);
        return;
      case WireType.lengthDelimited:
        this.readLengthDelimited(end);
        return;
      case WireType.startGroup:
        this.skipGroup(tag, end, depthLeft);
        return;
      case WireType.endGroup:
        throw new WireFormatError(tag.offset, `end-group for field ${tag.fieldNumber} without a start-group`);
    }
  }

  private skipBytes(n: number, end: number, tagOffset: number): void {
    if (end - this.pos < n) throw new WireFormatError(tagOffset, `truncated ${n}-byte fixed value`);
    this.pos += n;
  }

  private skipGroup(start: Tag, end: number, depthLeft: number): void {
    if (depthLeft <= 0) throw new WireFormatError(start.offset, 'nesting too deep');
    for (;;) {
      if (this.pos >= end)
        throw new WireFormatError(start.offset, `group ${start.fieldNumber} is never closed`);
      const tag = this.readTag(end);
      if (tag.wireType === WireType.endGroup) {
        if (tag.fieldNumber !== start.fieldNumber) {
          throw new WireFormatError(
            tag.offset,
            `end-group ${tag.fieldNumber} closes group ${start.fieldNumber}`,
          );
        }
        return;
      }
      this.skip(tag, end, depthLeft - 1);
    }
  }
}
