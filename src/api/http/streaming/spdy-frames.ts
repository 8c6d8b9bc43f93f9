/**
 * SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 section 2.2), the part port-forward uses:
 *
 *   control: |1| version=3 (15) | type (16) | flags (8) | length (24) | payload
 *   data:    |0| stream id (31)             | flags (8) | length (24) | payload
 *
 * `SpdyFrameReader` turns a byte stream cut anywhere (WebSocket messages, TCP reads) into frames;
 * the encoders build the server's frames. Header blocks are compressed by `spdy-headers.ts`.
 */
import type { HeaderInflater } from './spdy-headers.js';

export const FRAME = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
/** The largest payload the 24-bit length can carry. */
export const MAX_PAYLOAD = 0xffffff;

export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'synStream'; streamId: number; fin: boolean; headers: Map<string, string> }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastStreamId: number; status: number }
  /** SYN_REPLY, SETTINGS, HEADERS, WINDOW_UPDATE: understood, nothing for a server to do. */
  | { type: 'ignored'; frameType: number };

export class SpdyProtocolError extends Error {
  override readonly name = 'SpdyProtocolError';
  readonly code = 'SPDY_PROTOCOL';
}

/** Reassembles frames from arbitrary slices of the byte stream. */
export class SpdyFrameReader {
  #buf: Buffer = Buffer.alloc(0);
  /** Bytes consumed so far, so errors can name the stream offset of the bad frame. */
  #offset = 0;

  constructor(
    private readonly inflater: HeaderInflater,
    private readonly maxPayload = 1 << 20,
  ) {}

  push(chunk: Buffer): SpdyFrame[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const frames: SpdyFrame[] = [];
    while (this.#buf.length >= 8) {
      const length = this.#buf.readUIntBE(5, 3);
      if (length > this.maxPayload) {
        throw new SpdyProtocolError(
          `frame at byte ${this.#offset}: length ${length} exceeds ${this.maxPayload}`,
        );
      }
      if (this.#buf.length < 8 + length) break;
      const head = this.#buf.subarray(0, 8);
      const payload = this.#buf.subarray(8, 8 + length);
      frames.push(this.#decode(head, payload));
      this.#buf = this.#buf.subarray(8 + length);
      this.#offset += 8 + length;
    }
    return frames;
  }

  #decode(head: Buffer, payload: Buffer): SpdyFrame {
    const flags = head[4]!;
    const at = `frame at byte ${this.#offset}`;
    if ((head[0]! & 0x80) === 0) {
      const streamId = head.readUInt32BE(0) & 0x7fffffff;
      if (streamId === 0) throw new SpdyProtocolError(`${at}: DATA frame on stream 0`);
      return { type: 'data', streamId, fin: (flags & FLAG_FIN) !== 0, data: Buffer.from(payload) };
    }
    const version = head.readUInt16BE(0) & 0x7fff;
    if (version !== 3) throw new SpdyProtocolError(`${at}: control frame version ${version}, want 3`);
    const type = head.readUInt16BE(2);
    const need = (n: number, name: string) => {
      if (payload.length < n)
        throw new SpdyProtocolError(`${at}: ${name} payload is ${payload.length} bytes, needs ${n}`);
    };
    switch (type) {
      case FRAME.synStream:
        need(10, 'SYN_STREAM');
        return {
          type: 'synStream',
          streamId: payload.readUInt32BE(0) & 0x7fffffff,
          fin: (flags & FLAG_FIN) !== 0,
          headers: this.inflater.decode(payload.subarray(10)),
        };
      case FRAME.synReply:
      case FRAME.headers:
        need(4, type === FRAME.synReply ? 'SYN_REPLY' : 'HEADERS');
        // Decode even though unused: the zlib stream is shared, so skipping a block corrupts the next.
        this.inflater.decode(payload.subarray(4));
        return { type: 'ignored', frameType: type };
      case FRAME.rstStream:
        need(8, 'RST_STREAM');
        return {
          type: 'rstStream',
          streamId: payload.readUInt32BE(0) & 0x7fffffff,
          status: payload.readUInt32BE(4),
        };
      case FRAME.ping:
        need(4, 'PING');
        return { type: 'ping', id: payload.readUInt32BE(0) };
      case FRAME.goAway:
        need(8, 'GOAWAY');
        return {
          type: 'goAway',
          lastStreamId: payload.readUInt32BE(0) & 0x7fffffff,
          status: payload.readUInt32BE(4),
        };
      case FRAME.settings:
      case FRAME.windowUpdate:
        return { type: 'ignored', frameType: type };
      default:
        throw new SpdyProtocolError(`${at}: unknown control frame type ${type}`);
    }
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

export function encodeSynReply(streamId: number, headerBlock: Buffer): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff);
  return controlFrame(FRAME.synReply, 0, Buffer.concat([id, headerBlock]));
}

/** DATA frames for `data`, split to fit the length field; an empty `data` with fin is a bare half-close. */
export function encodeData(streamId: number, data: Buffer, fin: boolean, maxChunk = 64 * 1024): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  do {
    const part = data.subarray(offset, offset + maxChunk);
    offset += part.length;
    const last = offset >= data.length;
    const head = Buffer.alloc(8);
    head.writeUInt32BE(streamId & 0x7fffffff, 0);
    head[4] = last && fin ? FLAG_FIN : 0;
    head.writeUIntBE(part.length, 5, 3);
    frames.push(Buffer.concat([head, part]));
  } while (offset < data.length);
  return frames;
}

export function encodePing(id: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(id >>> 0);
  return controlFrame(FRAME.ping, 0, p);
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(FRAME.rstStream, 0, p);
}

export function encodeGoAway(lastStreamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastStreamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(FRAME.goAway, 0, p);
}

/** RST_STREAM status codes (section 2.4.2) the server uses. */
export const RST = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  cancel: 5,
  internalError: 6,
} as const;
