import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtoWriter } from './testing/proto-writer.js';
import { WireFormatError, WireReader, WireType } from './wire-reader.js';

const varintBytes = (v: bigint): Buffer => new ProtoWriter().rawVarint(v).finish();

function throwsWire(fn: () => unknown, offset: number, reason: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof WireFormatError);
    assert.equal(err.offset, offset);
    assert.match(err.reason, reason);
    return true;
  });
}

describe('WireReader', () => {
  test('varints round-trip across the 28-bit fast path and up to 2^64-1', () => {
    for (const v of [
      0n,
      1n,
      127n,
      128n,
      2n ** 28n - 1n,
      2n ** 28n,
      2n ** 35n + 5n,
      2n ** 53n,
      2n ** 63n,
      2n ** 64n - 1n,
    ]) {
      const buf = varintBytes(v);
      const r = new WireReader(buf);
      assert.equal(r.readVarint(buf.length), v);
      assert.equal(r.pos, buf.length);
    }
  });

  test('varint errors: truncated at the bound, too long, overflowing 64 bits', () => {
    throwsWire(() => new WireReader(Buffer.from([0x80, 0x80])).readVarint(2), 0, /truncated varint/);
    // The bound, not the buffer, ends the message.
    throwsWire(() => new WireReader(Buffer.from([0x05, 0x80, 0x01]), 1).readVarint(2), 1, /truncated/);
    throwsWire(() => new WireReader(Buffer.alloc(11, 0xff)).readVarint(11), 0, /longer than 10 bytes/);
    throwsWire(
      () => new WireReader(Buffer.from([...Array(9).fill(0xff), 0x02])).readVarint(10),
      0,
      /overflows 64 bits/,
    );
  });

  test('tags: field number and wire type; 0 and wire types 6/7 refused', () => {
    const buf = new ProtoWriter().tag(536870911, WireType.fixed32).finish();
    assert.deepStrictEqual(new WireReader(buf).readTag(buf.length), {
      fieldNumber: 536870911,
      wireType: 5,
      offset: 0,
    });
    throwsWire(() => new WireReader(Buffer.from([0x07])).readTag(1), 0, /field number 0/);
    throwsWire(() => new WireReader(Buffer.from([0x0e])).readTag(1), 0, /invalid wire type 6/);
  });

  test('length-delimited regions stay inside their parent', () => {
    const r = new WireReader(Buffer.from([0x03, 0x61, 0x62, 0x63, 0x09]));
    assert.deepStrictEqual(r.readLengthDelimited(5), { start: 1, end: 4 });
    assert.equal(r.pos, 4);
    throwsWire(
      () => new WireReader(Buffer.from([0x04, 0x61, 0x62, 0x63])).readLengthDelimited(4),
      0,
      /length 4 runs past/,
    );
  });

  test('skip: every wire type, nested groups, and the depth bound', () => {
    const buf = new ProtoWriter()
      .varint(1, 300)
      .tag(2, 1)
      .raw(Buffer.alloc(8))
      .string(3, 'abc')
      .tag(4, 3)
      .tag(5, 3)
      .varint(6, 1)
      .tag(5, 4)
      .tag(4, 4)
      .tag(7, 5)
      .raw(Buffer.alloc(4))
      .finish();
    const r = new WireReader(buf);
    for (let i = 0; i < 5; i++) r.skip(r.readTag(buf.length), buf.length, 4);
    assert.equal(r.pos, buf.length);
    // group 4 { group 5 { } }: one level of nesting allowed, so group 5 (at byte 1) is too deep.
    const nested = new ProtoWriter().tag(4, 3).tag(5, 3).tag(5, 4).tag(4, 4).finish();
    const deep = new WireReader(nested);
    throwsWire(() => deep.skip(deep.readTag(nested.length), nested.length, 1), 1, /nesting too deep/);
    throwsWire(
      () => new WireReader(Buffer.from([0x09, 0x00])).skip({ fieldNumber: 1, wireType: 1, offset: 0 }, 2, 1),
      0,
      /truncated 8-byte/,
    );
    throwsWire(
      () => new WireReader(Buffer.from([0x0b, 0x14])).skip({ fieldNumber: 1, wireType: 3, offset: 0 }, 2, 4),
      1,
      /end-group 2 closes group 1/,
    );
  });

  test('strict UTF-8', () => {
    const r = new WireReader(Buffer.from('héllo'));
    assert.equal(r.decodeUtf8(0, 6), 'héllo');
    throwsWire(() => new WireReader(Buffer.from([0x61, 0xc3])).decodeUtf8(0, 2), 0, /not valid UTF-8/);
  });
});
