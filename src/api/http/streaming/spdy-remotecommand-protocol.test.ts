import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../errors.js';
import {
  encodeFinalStatus,
  expectedStreams,
  negotiateRemoteCommand,
  REMOTECOMMAND_PROTOCOLS,
  ResizeDecoder,
  ResizeStreamError,
} from './spdy-remotecommand-protocol.js';
import { errorStatus, exitStatus } from './ws-channels.js';

const ALL = { stdin: true, stdout: true, stderr: true, tty: false };

describe('remotecommand version negotiation (httpstream.Handshake)', () => {
  test('client-go 1.29 offers v4..v1 as repeated headers (Node joins them): v4 wins', () => {
    assert.equal(
      negotiateRemoteCommand('v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io'),
      'v4.channel.k8s.io',
    );
    assert.equal(negotiateRemoteCommand(['v5.channel.k8s.io', 'v4.channel.k8s.io']), 'v4.channel.k8s.io');
  });

  test("the client's order decides among versions both sides speak, as upstream", () => {
    assert.equal(negotiateRemoteCommand('v2.channel.k8s.io,v4.channel.k8s.io'), 'v2.channel.k8s.io');
    assert.equal(negotiateRemoteCommand(' channel.k8s.io '), 'channel.k8s.io');
    assert.equal(negotiateRemoteCommand('v3.channel.k8s.io'), 'v3.channel.k8s.io');
  });

  test('a missing header is a 400 with upstream message', () => {
    for (const h of [undefined, '', ' , ', []]) {
      assert.throws(
        () => negotiateRemoteCommand(h),
        (e: unknown) =>
          e instanceof ApiError &&
          e.code === 400 &&
          e.message === 'unable to upgrade: X-Stream-Protocol-Version is required',
      );
    }
  });

  test('no common version is a 403 naming both lists; the accepted list goes to the caller', () => {
    let accepted: readonly string[] = [];
    assert.throws(
      () => negotiateRemoteCommand('v5.channel.k8s.io, portforward.k8s.io', (a) => (accepted = a)),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === 403 &&
        e.reason === 'Forbidden' &&
        e.message ===
          'unable to upgrade: unable to negotiate protocol: client supports [v5.channel.k8s.io portforward.k8s.io], ' +
            'server accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]',
    );
    assert.deepEqual(accepted, REMOTECOMMAND_PROTOCOLS);
  });
});

describe('expected streams', () => {
  test('error always; stdin/stdout/stderr as requested', () => {
    assert.deepEqual([...expectedStreams('v4.channel.k8s.io', ALL)], ['error', 'stdin', 'stdout', 'stderr']);
    assert.deepEqual(
      [...expectedStreams('v2.channel.k8s.io', { ...ALL, stdin: false, stderr: false })],
      ['error', 'stdout'],
    );
  });

  test('resize with a tty from v3 on only', () => {
    const tty = { stdin: true, stdout: true, stderr: false, tty: true };
    assert.ok(expectedStreams('v4.channel.k8s.io', tty).has('resize'));
    assert.ok(expectedStreams('v3.channel.k8s.io', tty).has('resize'));
    assert.ok(!expectedStreams('v2.channel.k8s.io', tty).has('resize'));
    assert.ok(!expectedStreams('channel.k8s.io', tty).has('resize'));
    assert.ok(!expectedStreams('v4.channel.k8s.io', ALL).has('resize'));
  });
});

describe('final status on the error stream', () => {
  test('v4: the metav1.Status JSON, exit code in details.causes', () => {
    const s = JSON.parse(encodeFinalStatus('v4.channel.k8s.io', exitStatus(3)).toString());
    assert.equal(s.status, 'Failure');
    assert.equal(s.reason, 'NonZeroExitCode');
    assert.deepEqual(s.details.causes, [{ reason: 'ExitCode', message: '3' }]);
    assert.deepEqual(JSON.parse(encodeFinalStatus('v4.channel.k8s.io', exitStatus(0)).toString()), {
      metadata: {},
      status: 'Success',
    });
  });

  test('v1-v3: the message as text on failure, nothing on success', () => {
    for (const p of ['v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const) {
      assert.equal(
        encodeFinalStatus(p, exitStatus(3)).toString(),
        'command terminated with non-zero exit code: exit status 3',
      );
      assert.equal(
        encodeFinalStatus(p, errorStatus('container is not running')).toString(),
        'container is not running',
      );
      assert.equal(encodeFinalStatus(p, exitStatus(0)).length, 0);
    }
  });
});

describe('resize stream decoding', () => {
  const stream = Buffer.from(
    '{"Width":80,"Height":24}\n{"Width":100,"Height":30}\n  {"Height":5,"Width":7,"X":"}"}',
  );
  const want = [
    { cols: 80, rows: 24 },
    { cols: 100, rows: 30 },
    { cols: 7, rows: 5 },
  ];

  test('whole, and split at every byte, give the same sizes', () => {
    assert.deepEqual(new ResizeDecoder().push(stream), want);
    const d = new ResizeDecoder();
    const got = [];
    for (let i = 0; i < stream.length; i++) got.push(...d.push(stream.subarray(i, i + 1)));
    assert.deepEqual(got, want);
  });

  test('a missing field is 0, as Go decodes it', () => {
    assert.deepEqual(new ResizeDecoder().push(Buffer.from('{"Width":80}')), [{ cols: 80, rows: 0 }]);
  });

  test('bad values name the byte where the value starts', () => {
    const d = new ResizeDecoder();
    d.push(Buffer.from('{"Width":1,"Height":2}\n'));
    assert.throws(
      () => d.push(Buffer.from('{"Width":-1,"Height":2}')),
      (e: unknown) =>
        e instanceof ResizeStreamError &&
        /byte 23: Width and Height must be integers 0-65535/.test(e.message),
    );
    assert.throws(() => new ResizeDecoder().push(Buffer.from('[1]')), /byte 0: expected '\{'/);
    assert.throws(() => new ResizeDecoder().push(Buffer.from('{"Width":1,}')), /is not JSON/);
    assert.throws(
      () => new ResizeDecoder().push(Buffer.from(`{"x":"${'a'.repeat(5000)}`)),
      /longer than 4096/,
    );
  });
});
