import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChannelFrameError, decodeClientFrame, encodeFrame, exitStatus } from './ws-channels.js';

describe('v5.channel.k8s.io framing', () => {
  test('encodes the channel as byte 0', () => {
    assert.deepEqual([...encodeFrame(1, 'hi')], [1, 0x68, 0x69]);
    assert.deepEqual([...encodeFrame(3, Buffer.alloc(0))], [3]);
  });

  test('decodes stdin, resize and the v5 close signal', () => {
    assert.deepEqual(decodeClientFrame(Buffer.from([0, 0x61, 0x0a])), {
      type: 'stdin',
      data: Buffer.from('a\n'),
    });
    assert.deepEqual(decodeClientFrame(Buffer.from([4, ...Buffer.from('{"Width":120,"Height":40}')])), {
      type: 'resize',
      cols: 120,
      rows: 40,
    });
    assert.deepEqual(decodeClientFrame(Buffer.from([255, 0])), { type: 'close', channel: 0 });
  });

  test('rejects what a client may not send, naming the channel', () => {
    assert.throws(() => decodeClientFrame(Buffer.alloc(0)), ChannelFrameError);
    assert.throws(() => decodeClientFrame(Buffer.from([1, 0x61])), /channel 1 at byte 0/);
    assert.throws(
      () => decodeClientFrame(Buffer.from([4, ...Buffer.from('{"Width":-1,"Height":2}')])),
      /resize/,
    );
    assert.throws(() => decodeClientFrame(Buffer.from([4, 0x7b])), /not JSON/);
    assert.throws(() => decodeClientFrame(Buffer.from([255])), /exactly one channel byte/);
  });

  test('exit statuses have upstream shapes', () => {
    assert.deepEqual(exitStatus(0), { metadata: {}, status: 'Success' });
    assert.deepEqual(exitStatus(3), {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: exit status 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });
});
