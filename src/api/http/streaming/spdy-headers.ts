/**
 * SPDY/3 header blocks: `u32 count`, then `u32 len, name, u32 len, value` per header, compressed
 * with zlib primed by the SPDY/3 dictionary, one zlib stream per direction for the whole
 * connection (each block ends on a sync flush).
 *
 * Decoding keeps the connection's compressed bytes and inflates them whole, taking the new suffix:
 * quadratic in theory, but port-forward sends two small blocks per forwarded connection.
 * Encoding needs no compression: a zlib header naming the dictionary, then each block as a stored
 * deflate block followed by an empty stored block (the sync marker Go's flate reader waits for).
 */
import { constants, inflateSync } from 'node:zlib';
import { adler32, SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { SpdyProtocolError } from './spdy-frames.js';

/** Bounds a peer's decompressed header history, so a hostile client cannot grow it without end. */
const MAX_HEADER_HISTORY = 1 << 20;

export function serializeHeaders(headers: ReadonlyMap<string, string> | Record<string, string>): Buffer {
  const entries = headers instanceof Map ? [...headers] : Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function parseHeaders(block: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  const take = (n: number, what: string) => {
    if (at + n > block.length)
      throw new SpdyProtocolError(
        `header block: ${what} at byte ${at} runs past the end (${block.length} bytes)`,
      );
    const b = block.subarray(at, at + n);
    at += n;
    return b;
  };
  const count = take(4, 'header count').readUInt32BE(0);
  for (let i = 0; i < count; i++) {
    const name = take(take(4, `name length of header ${i}`).readUInt32BE(0), `name of header ${i}`).toString(
      'latin1',
    );
    const value = take(
      take(4, `value length of header ${i}`).readUInt32BE(0),
      `value of header ${i}`,
    ).toString('utf8');
    // SPDY joins repeated values with NUL; port-forward headers are single-valued, keep the first.
    out.set(name, value.split('\0')[0]!);
  }
  if (at !== block.length)
    throw new SpdyProtocolError(`header block: ${block.length - at} trailing bytes after ${count} headers`);
  return out;
}

/** The receiving half of a connection's header compression. */
export class HeaderInflater {
  #compressed: Buffer[] = [];
  #compressedBytes = 0;
  #producedBytes = 0;

  decode(compressed: Buffer): Map<string, string> {
    this.#compressed.push(Buffer.from(compressed));
    this.#compressedBytes += compressed.length;
    if (this.#compressedBytes > MAX_HEADER_HISTORY) {
      throw new SpdyProtocolError(`header compression history passed ${MAX_HEADER_HISTORY} bytes`);
    }
    let all: Buffer;
    try {
      all = inflateSync(Buffer.concat(this.#compressed), {
        dictionary: SPDY3_DICTIONARY,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
    } catch (e) {
      throw new SpdyProtocolError(`header block does not inflate: ${(e as Error).message}`);
    }
    const block = all.subarray(this.#producedBytes);
    this.#producedBytes = all.length;
    return parseHeaders(block);
  }
}

/** The sending half: stored (uncompressed) deflate blocks inside one zlib stream. */
export class HeaderDeflater {
  #started = false;

  encode(headers: ReadonlyMap<string, string> | Record<string, string>): Buffer {
    const raw = serializeHeaders(headers);
    const parts: Buffer[] = [];
    if (!this.#started) {
      this.#started = true;
      // CMF 0x78 (deflate, 32K window), FLG 0xF9 (FDICT set, check bits make 0x78F9 % 31 == 0).
      parts.push(Buffer.from([0x78, 0xf9]), u32(adler32(SPDY3_DICTIONARY)));
    }
    for (let at = 0; at < raw.length || at === 0; at += 0xffff) {
      const chunk = raw.subarray(at, at + 0xffff);
      parts.push(storedBlock(chunk));
      if (raw.length === 0) break;
    }
    parts.push(storedBlock(Buffer.alloc(0))); // sync marker 00 00 00 FF FF
    return Buffer.concat(parts);
  }
}

function storedBlock(data: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
  head.writeUInt16LE(data.length, 1);
  head.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([head, data]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
