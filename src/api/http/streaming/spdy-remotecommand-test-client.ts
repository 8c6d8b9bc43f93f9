/**
 * Test support: the client half of SPDY remotecommand, as client-go's spdystream speaks it —
 * SYN_STREAM header blocks from one dictionary-primed zlib stream with a sync flush per block,
 * DATA frames with FIN for half-close — and a recorder of what the server sends back.
 * Used by the unit tests only; kubectl itself is the client in the e2e test.
 */
import type { Duplex } from 'node:stream';
import { constants, createDeflate, type Deflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { encodeData, SpdyFrameReader, SpdyProtocolError } from './spdy-frames.js';
import { HeaderInflater, serializeHeaders } from './spdy-headers.js';

/** Encodes the client's frames; one instance per connection (the header zlib stream is shared). */
export class SpdyClientEncoder {
  readonly #z: Deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  readonly #out: Buffer[] = [];

  constructor() {
    this.#z.on('data', (c: Buffer) => this.#out.push(c));
  }

  async synStream(streamId: number, headers: Record<string, string>, fin = false): Promise<Buffer> {
    this.#out.length = 0;
    this.#z.write(serializeHeaders(headers));
    await new Promise<void>((r) => this.#z.flush(constants.Z_SYNC_FLUSH, () => r()));
    const block = Buffer.concat(this.#out);
    const head = Buffer.alloc(18);
    head.writeUInt16BE(0x8003, 0);
    head.writeUInt16BE(1, 2); // SYN_STREAM
    head[4] = fin ? 1 : 0;
    head.writeUIntBE(10 + block.length, 5, 3);
    head.writeUInt32BE(streamId, 8);
    return Buffer.concat([head, block]);
  }

  data(streamId: number, data: Buffer | string, fin = false): Buffer {
    return Buffer.concat(encodeData(streamId, Buffer.from(data), fin));
  }

  close(): void {
    this.#z.close();
  }
}

/** Everything the server sent, by stream. */
export class SpdyServerRecord {
  readonly data = new Map<number, Buffer>();
  readonly fin = new Set<number>();
  readonly rst = new Map<number, number>();
  readonly pings: number[] = [];
  goAway: number | undefined;
  /** Set when the server's bytes did not parse: the test fails on it. */
  protocolError: string | undefined;
  readonly #reader = new SpdyFrameReader(new HeaderInflater());

  push(bytes: Buffer): void {
    try {
      for (const f of this.#reader.push(bytes)) {
        if (f.type === 'data') {
          this.data.set(f.streamId, Buffer.concat([this.data.get(f.streamId) ?? Buffer.alloc(0), f.data]));
          if (f.fin) this.fin.add(f.streamId);
        } else if (f.type === 'rstStream') this.rst.set(f.streamId, f.status);
        else if (f.type === 'goAway') this.goAway = f.status;
        else if (f.type === 'ping') this.pings.push(f.id);
      }
    } catch (e) {
      if (!(e instanceof SpdyProtocolError)) throw e;
      this.protocolError = e.message;
    }
  }

  text(streamId: number): string {
    return (this.data.get(streamId) ?? Buffer.alloc(0)).toString();
  }
}

/** Records a socket's incoming bytes; `closed` resolves when the server hangs up. */
export function recordServer(socket: Duplex): { record: SpdyServerRecord; closed: Promise<void> } {
  const record = new SpdyServerRecord();
  socket.on('data', (b: Buffer) => record.push(b));
  const closed = new Promise<void>((r) => {
    socket.on('close', () => r());
    socket.on('end', () => r());
  });
  socket.on('error', () => {});
  return { record, closed };
}
