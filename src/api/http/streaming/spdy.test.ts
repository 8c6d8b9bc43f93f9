import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { constants, createDeflate } from 'node:zlib';
import { adler32, SPDY3_DICTIONARY } from './spdy-dictionary.js';
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  SpdyFrameReader,
  SpdyProtocolError,
} from './spdy-frames.js';
import { HeaderDeflater, HeaderInflater, parseHeaders, serializeHeaders } from './spdy-headers.js';

/** A SYN_STREAM as a client builds it, header block compressed by real zlib with the dictionary. */
function synStream(streamId: number, block: Buffer, fin = false): Buffer {
  const payload = Buffer.alloc(10);
  payload.writeUInt32BE(streamId, 0);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(1, 2);
  head[4] = fin ? 1 : 0;
  head.writeUIntBE(10 + block.length, 5, 3);
  return Buffer.concat([head, payload, block]);
}

describe('SPDY/3 dictionary', () => {
  test('is the 1423-byte dictionary with its well-known adler32', () => {
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    assert.equal(adler32(SPDY3_DICTIONARY), 0xe3c6a7c2);
    assert.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398);
  });
});

describe('SPDY header blocks', () => {
  test('serialize and parse round-trip, names lower-cased', () => {
    const block = serializeHeaders({ StreamType: 'data', port: '80', requestid: '0' });
    assert.deepEqual(
      [...parseHeaders(block)],
      [
        ['streamtype', 'data'],
        ['port', '80'],
        ['requestid', '0'],
      ],
    );
  });

  test('parse rejects truncated and trailing bytes, naming the offset', () => {
    const block = serializeHeaders({ port: '80' });
    assert.throws(
      () => parseHeaders(block.subarray(0, block.length - 1)),
      /value of header 0 at byte 16 runs past the end/,
    );
    assert.throws(() => parseHeaders(Buffer.concat([block, Buffer.from([0])])), /1 trailing bytes/);
  });

  test('the inflater decodes a connection-long zlib stream of dictionary-primed blocks (as Go writes them)', async () => {
    // Go's framer keeps one deflate stream per connection and sync-flushes after each block.
    const z = createDeflate({ dictionary: SPDY3_DICTIONARY });
    const chunks: Buffer[] = [];
    z.on('data', (c: Buffer) => chunks.push(c));
    const block = async (h: Record<string, string>) => {
      chunks.length = 0;
      z.write(serializeHeaders(h));
      await new Promise<void>((resolve) => z.flush(constants.Z_SYNC_FLUSH, () => resolve()));
      return Buffer.concat(chunks);
    };
    const inflater = new HeaderInflater();
    const first = await block({ streamtype: 'error', port: '80', requestid: '0' });
    const second = await block({ streamtype: 'data', port: '80', requestid: '0' });
    const third = await block({ streamtype: 'data', port: '8080', requestid: '1' });
    z.close();
    assert.deepEqual(
      [...inflater.decode(first)],
      [
        ['streamtype', 'error'],
        ['port', '80'],
        ['requestid', '0'],
      ],
    );
    assert.equal(inflater.decode(second).get('streamtype'), 'data');
    // The third block back-references the earlier ones: it only decodes in stream order.
    assert.deepEqual(
      [...inflater.decode(third)],
      [
        ['streamtype', 'data'],
        ['port', '8080'],
        ['requestid', '1'],
      ],
    );
    assert.throws(() => new HeaderInflater().decode(third), SpdyProtocolError);
  });

  test('deflater output (stored blocks + sync marker) inflates with the dictionary, block by block', () => {
    const d = new HeaderDeflater();
    const i = new HeaderInflater();
    const one = d.encode({ streamtype: 'error' });
    assert.deepEqual([...one.subarray(0, 6)], [0x78, 0xf9, 0xe3, 0xc6, 0xa7, 0xc2]);
    assert.deepEqual([...one.subarray(-5)], [0, 0, 0, 0xff, 0xff]);
    assert.equal(i.decode(one).get('streamtype'), 'error');
    const empty = d.encode({});
    assert.equal(empty[0], 0); // no second zlib header
    assert.equal(i.decode(empty).size, 0);
    assert.equal(i.decode(d.encode({ port: '8080' })).get('port'), '8080');
  });

  test('garbage that does not inflate is a protocol error', () => {
    assert.throws(() => new HeaderInflater().decode(Buffer.from([1, 2, 3, 4])), SpdyProtocolError);
  });
});

describe('SPDY frames', () => {
  test('reads frames split at every byte boundary', () => {
    const deflater = new HeaderDeflater();
    const stream = Buffer.concat([
      synStream(1, deflater.encode({ streamtype: 'error', port: '80', requestid: '0' }), true),
      synStream(3, deflater.encode({ streamtype: 'data', port: '80', requestid: '0' })),
      ...encodeData(3, Buffer.from('GET / HTTP/1.0\r\n\r\n'), false),
      ...encodeData(3, Buffer.alloc(0), true),
      encodePing(7),
      encodeRstStream(3, 5),
      encodeGoAway(3, 0),
    ]);
    const reader = new SpdyFrameReader(new HeaderInflater());
    const frames = [];
    for (const b of stream) frames.push(...reader.push(Buffer.from([b])));
    assert.deepEqual(
      frames.map((f) => f.type),
      ['synStream', 'synStream', 'data', 'data', 'ping', 'rstStream', 'goAway'],
    );
    const [err, data, payload, fin, ping, rst, away] = frames;
    assert.ok(err?.type === 'synStream' && err.fin && err.headers.get('streamtype') === 'error');
    assert.ok(data?.type === 'synStream' && data.streamId === 3 && data.headers.get('requestid') === '0');
    assert.ok(
      payload?.type === 'data' && payload.data.toString() === 'GET / HTTP/1.0\r\n\r\n' && !payload.fin,
    );
    assert.ok(fin?.type === 'data' && fin.fin && fin.data.length === 0);
    assert.deepEqual(ping, { type: 'ping', id: 7 });
    assert.deepEqual(rst, { type: 'rstStream', streamId: 3, status: 5 });
    assert.deepEqual(away, { type: 'goAway', lastStreamId: 3, status: 0 });
  });

  test('SYN_REPLY and DATA encodings are byte-exact', () => {
    const reply = encodeSynReply(5, Buffer.from([0xaa]));
    assert.deepEqual([...reply], [0x80, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0, 0, 0, 5, 0xaa]);
    const [d] = encodeData(5, Buffer.from('x'), true);
    assert.deepEqual([...d!], [0, 0, 0, 5, 0x01, 0, 0, 1, 0x78]);
    assert.equal(encodeData(1, Buffer.alloc(10), false, 4).length, 3);
  });

  test('rejects bad versions, unknown types, oversized and short frames with the byte offset', () => {
    const reader = () => new SpdyFrameReader(new HeaderInflater(), 1024);
    const v2 = Buffer.from([0x80, 0x02, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1]);
    assert.throws(() => reader().push(v2), /frame at byte 0: control frame version 2/);
    const unknown = Buffer.from([0x80, 0x03, 0, 99, 0, 0, 0, 0]);
    assert.throws(() => reader().push(unknown), /unknown control frame type 99/);
    const big = Buffer.from([0, 0, 0, 1, 0, 0x10, 0, 0]);
    assert.throws(() => reader().push(big), /length 1048576 exceeds 1024/);
    const r = reader();
    assert.equal(r.push(encodePing(1)).length, 1);
    assert.throws(
      () => r.push(Buffer.from([0x80, 0x03, 0, 6, 0, 0, 0, 2, 0, 0])),
      /frame at byte 12: PING payload is 2 bytes/,
    );
    assert.throws(() => reader().push(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])), /DATA frame on stream 0/);
  });
});
