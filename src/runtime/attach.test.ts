import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ATTACH_FRAME,
  attachSocketPath,
  decodeAttachFrames,
  encodeAttachFrame,
  MAX_ATTACH_FRAME,
} from './attach.js';

test('a frame is type, 32-bit big-endian length, payload', () => {
  assert.deepEqual([...encodeAttachFrame(ATTACH_FRAME.resize, '24 80')], [4, 0, 0, 0, 5, 50, 52, 32, 56, 48]);
  assert.deepEqual([...encodeAttachFrame(ATTACH_FRAME.closeStdin)], [255, 0, 0, 0, 0]);
});

test('decoding yields whole frames in order and returns a split frame as the tail', () => {
  const bytes = Buffer.concat([
    encodeAttachFrame(ATTACH_FRAME.stdout, 'out'),
    encodeAttachFrame(ATTACH_FRAME.stderr, ''),
    encodeAttachFrame(ATTACH_FRAME.stdout, 'later'),
  ]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const got: string[] = [];
    const onFrame = (type: number, p: Buffer) => got.push(`${type}:${p}`);
    const tail = decodeAttachFrames(bytes.subarray(0, cut), onFrame);
    decodeAttachFrames(Buffer.concat([tail, bytes.subarray(cut)]), onFrame);
    assert.deepEqual(got, ['1:out', '2:', '1:later'], `cut at ${cut}`);
  }
});

test('a frame type the shim never sends, or an oversized length, is an error naming the byte', () => {
  assert.throws(
    () =>
      decodeAttachFrames(Buffer.concat([encodeAttachFrame(1, 'x'), encodeAttachFrame(16, 'y')]), () => {}),
    /unexpected frame type 16 at byte 6/,
  );
  assert.throws(
    () =>
      decodeAttachFrames(encodeAttachFrame(ATTACH_FRAME.error, 'too many attach sessions (16)'), () => {}),
    /^RuntimeError: attach refused: too many attach sessions \(16\)$/m,
  );
  const huge = Buffer.from([1, 0, 0, 0, 0]);
  huge.writeUInt32BE(MAX_ATTACH_FRAME + 1, 1);
  assert.throws(() => decodeAttachFrames(huge, () => {}), /frame length 1048577 at byte 1 exceeds 1048576/);
});

test('the attach socket sits in the container dir unless the path cannot be a unix socket address', () => {
  assert.equal(
    attachSocketPath('/var/lib/podbay/runtime/containers/abc'),
    '/var/lib/podbay/runtime/containers/abc/attach',
  );
  const dir = `/${'d'.repeat(100)}`;
  assert.equal(attachSocketPath(dir), undefined);
  assert.equal(attachSocketPath(`/${'d'.repeat(99)}`)?.length, 107);
});

test('fuzz: any byte soup either decodes or fails with a RuntimeError, never anything else', () => {
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  for (let round = 0; round < 2000; round++) {
    const bytes = Buffer.from(
      Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 256)),
    );
    // Bias the first byte towards real frame types, so both paths are exercised.
    if (bytes.length && next() < 0.5) bytes[0] = next() < 0.5 ? 1 : 2;
    try {
      const tail = decodeAttachFrames(bytes, (type, payload) => {
        assert.ok(type === 1 || type === 2);
        assert.ok(payload.length <= bytes.length);
      });
      assert.ok(tail.length <= bytes.length);
    } catch (e) {
      assert.equal((e as Error).name, 'RuntimeError', `round ${round}: ${(e as Error).stack}`);
    }
  }
});
