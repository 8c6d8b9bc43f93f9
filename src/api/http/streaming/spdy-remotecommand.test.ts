/**
 * The SPDY remotecommand session over real loopback TCP, with a real local `sh` behind it and a
 * client that frames as client-go's spdystream does: stream bookkeeping, each protocol version's
 * error stream, stdin EOF, resize, the stream creation timeout, and bad frames (which end only
 * their own connection). One test feeds the session its input one byte per 'data' event.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { ExecSession } from '../../../runtime/types.js';
import type { StreamFlags } from './exec-session.js';
import { RST } from './spdy-frames.js';
import { type RemoteCommandStreams, SpdyRemoteCommandSession } from './spdy-remotecommand.js';
import type { RemoteCommandProtocol } from './spdy-remotecommand-protocol.js';
import { recordServer, SpdyClientEncoder } from './spdy-remotecommand-test-client.js';

const V4: RemoteCommandProtocol = 'v4.channel.k8s.io';
const STD = { stdin: true, stdout: true, stderr: true, tty: false };

interface Started {
  cmd: string;
  resizes: { rows: number; cols: number }[];
  killed: boolean;
}

/** A local `sh -c cmd` as the backend's ExecSession, recording resizes and kills. */
function shell(cmd: string, started: Started[]) {
  return (streams: RemoteCommandStreams): ExecSession => {
    const rec: Started = { cmd, resizes: [], killed: false };
    started.push(rec);
    const child = spawn('sh', ['-c', cmd], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {});
    if (streams.stdin) streams.stdin.pipe(child.stdin);
    else child.stdin.end();
    if (streams.stdout) child.stdout.pipe(streams.stdout, { end: false });
    else child.stdout.resume();
    if (streams.stderr) child.stderr.pipe(streams.stderr, { end: false });
    else child.stderr.resume();
    return {
      resize: (size) => rec.resizes.push(size),
      exitCode: new Promise((r) => child.on('close', (code) => r(code ?? 137))),
      kill: () => {
        rec.killed = true;
        child.kill('SIGKILL');
      },
    };
  };
}

interface SessionConfig {
  protocol?: RemoteCommandProtocol;
  flags?: StreamFlags;
  cmd?: string;
  timeoutMs?: number;
}

describe('SPDY remotecommand session', () => {
  let server: Server;
  let port = 0;
  const logs: string[] = [];
  const started: Started[] = [];
  const sessions: SpdyRemoteCommandSession[] = [];
  /** The next connection's configuration (tests connect one at a time). */
  let next: SessionConfig = {};

  before(async () => {
    server = createServer((socket) => {
      const c = next;
      sessions.push(
        new SpdyRemoteCommandSession(socket, {
          protocol: c.protocol ?? V4,
          flags: c.flags ?? STD,
          start: shell(c.cmd ?? 'true', started),
          log: (m) => logs.push(m),
          ...(c.timeoutMs ? { streamCreationTimeoutMs: c.timeoutMs } : {}),
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    for (const s of sessions) s.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function connect(c: SessionConfig) {
    next = c;
    const socket: Socket = createConnection(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', r));
    const { record, closed } = recordServer(socket);
    return { socket, record, closed, enc: new SpdyClientEncoder() };
  }

  /** Opens streams 1,3,5,... with these types, in order, as client-go does (error first). */
  async function open(enc: SpdyClientEncoder, types: string[]): Promise<Buffer> {
    const frames: Buffer[] = [];
    for (const [i, t] of types.entries()) frames.push(await enc.synStream(1 + 2 * i, { streamtype: t }));
    return Buffer.concat(frames);
  }

  test('v4 exec: stdout and stderr on their streams, the exit Status on the error stream, FINs, GOAWAY', async () => {
    const c = await connect({ cmd: 'echo out; echo err >&2; exit 3', flags: { ...STD, stdin: false } });
    c.socket.write(await open(c.enc, ['error', 'stdout', 'stderr']));
    await c.closed;
    assert.equal(c.record.protocolError, undefined);
    assert.equal(c.record.text(3), 'out\n');
    assert.equal(c.record.text(5), 'err\n');
    const status = JSON.parse(c.record.text(1));
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '3' }]);
    assert.deepEqual([...c.record.fin].sort(), [1, 3, 5]);
    assert.equal(c.record.goAway, 0);
  });

  for (const protocol of ['v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const) {
    test(`${protocol}: the error stream carries the failure as text, and nothing on success`, async () => {
      const failing = await connect({
        protocol,
        cmd: 'exit 3',
        flags: { ...STD, stdin: false, stderr: false },
      });
      failing.socket.write(await open(failing.enc, ['error', 'stdout']));
      await failing.closed;
      assert.equal(failing.record.text(1), 'command terminated with non-zero exit code: exit status 3');
      const ok = await connect({
        protocol,
        cmd: 'echo fine',
        flags: { ...STD, stdin: false, stderr: false },
      });
      ok.socket.write(await open(ok.enc, ['error', 'stdout']));
      await ok.closed;
      assert.equal(ok.record.text(3), 'fine\n');
      assert.equal(ok.record.text(1), '');
      assert.ok(ok.record.fin.has(1));
    });
  }

  test('stdin: DATA feeds the process, FIN is EOF', async () => {
    const c = await connect({ cmd: 'cat; echo done' });
    c.socket.write(await open(c.enc, ['error', 'stdin', 'stdout', 'stderr']));
    c.socket.write(c.enc.data(3, 'hello '));
    c.socket.write(c.enc.data(3, 'world\n', true));
    await c.closed;
    assert.equal(c.record.text(5), 'hello world\ndone\n');
    assert.deepEqual(JSON.parse(c.record.text(1)), { metadata: {}, status: 'Success' });
  });

  test('the whole client byte stream cut into one-byte reads gives the same session', async () => {
    const enc = new SpdyClientEncoder();
    const input = Buffer.concat([
      await open(enc, ['error', 'stdin', 'stdout', 'resize']),
      enc.data(7, '{"Width":120,'),
      enc.data(7, '"Height":40}\n{"Width":0,"Height":0}\n'),
      enc.data(3, 'typed\n', true),
    ]);
    const out: Buffer[] = [];
    let ended = false;
    const socket = new Duplex({
      read() {},
      write(chunk: Buffer, _e, done) {
        out.push(chunk);
        done();
      },
      final(done) {
        ended = true;
        done();
      },
    });
    const before = started.length;
    const session = new SpdyRemoteCommandSession(socket, {
      protocol: V4,
      flags: { stdin: true, stdout: true, stderr: true, tty: true },
      start: shell('read line; echo "got $line"', started),
      log: (m) => logs.push(m),
    });
    for (let i = 0; i < input.length; i++) socket.emit('data', input.subarray(i, i + 1));
    const deadline = Date.now() + 10_000;
    while (!ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(ended, 'the session hung up');
    const { record } = recordFrom(Buffer.concat(out));
    assert.equal(record.text(5), 'got typed\n');
    assert.deepEqual(JSON.parse(record.text(1)), { metadata: {}, status: 'Success' });
    // A tty has no stderr stream; the 0x0 size is dropped.
    assert.deepEqual(started[before]?.resizes, [{ cols: 120, rows: 40 }]);
    session.close();
  });

  test('tty resize on the resize stream reaches the process; a bad value stops resizing, not the session', async () => {
    const c = await connect({
      cmd: 'sleep 0.5; echo ok',
      flags: { stdin: false, stdout: true, stderr: true, tty: true },
    });
    const before = started.length;
    c.socket.write(await open(c.enc, ['error', 'stdout', 'resize']));
    c.socket.write(c.enc.data(5, '{"Width":80,"Height":24}\n'));
    c.socket.write(c.enc.data(5, '{"Width":"wide"}\n{"Width":90,"Height":20}\n'));
    await c.closed;
    assert.equal(c.record.text(3), 'ok\n');
    assert.deepEqual(started[before]?.resizes, [{ cols: 80, rows: 24 }]);
    assert.ok(logs.some((l) => /ignoring further resizes: resize stream: byte 25: Width and Height/.test(l)));
  });

  test('stream bookkeeping: bad ids, unknown types, duplicates and late streams are reset; pings echoed', async () => {
    const c = await connect({ cmd: 'sleep 0.3', flags: { ...STD, stdin: false, stderr: false } });
    c.socket.write(
      Buffer.concat([
        await c.enc.synStream(1, { streamtype: 'error' }),
        await c.enc.synStream(2, { streamtype: 'stdout' }), // even: not a client stream id
        await c.enc.synStream(3, { streamtype: 'video' }),
        await c.enc.synStream(5, { streamtype: 'error' }),
        pingFrame(7),
        await c.enc.synStream(9, { streamtype: 'stdout' }), // completes the set: the process starts
        await c.enc.synStream(11, { streamtype: 'stdin' }),
      ]),
    );
    await c.closed;
    assert.equal(c.record.rst.get(2), RST.protocolError);
    assert.equal(c.record.rst.get(3), RST.protocolError);
    assert.equal(c.record.rst.get(5), RST.protocolError);
    assert.equal(c.record.rst.get(11), RST.refusedStream);
    assert.deepEqual(c.record.pings, [7]);
    assert.deepEqual(JSON.parse(c.record.text(1)), { metadata: {}, status: 'Success' });
    assert.ok(logs.some((l) => l.includes('stream 3: unexpected stream type: "video"')));
    assert.ok(logs.some((l) => l.includes('stream 5: a second error stream (the first is 1)')));
  });

  test('streams missing after the creation timeout: upstream message, nothing started', async () => {
    const before = started.length;
    const c = await connect({ timeoutMs: 200, flags: { ...STD, stdin: false } });
    c.socket.write(await open(c.enc, ['error', 'stdout']));
    await c.closed;
    assert.equal(started.length, before);
    assert.match(JSON.parse(c.record.text(1)).message, /^timed out waiting for client to create streams$/);
    assert.ok(
      logs.some((l) =>
        /timed out waiting for client to create streams \(have error, stdout; want error, stdout, stderr\)/.test(
          l,
        ),
      ),
    );
  });

  test('a malformed frame closes only its connection (GOAWAY PROTOCOL_ERROR) and kills its process', async () => {
    const other = await connect({
      cmd: 'sleep 0.5; echo survivor',
      flags: { ...STD, stdin: false, stderr: false },
    });
    other.socket.write(await open(other.enc, ['error', 'stdout']));
    const bad = await connect({ cmd: 'sleep 30', flags: { ...STD, stdin: false, stderr: false } });
    const before = started.length;
    bad.socket.write(await open(bad.enc, ['error', 'stdout']));
    while (started.length === before) await new Promise((r) => setTimeout(r, 10));
    // A control frame claiming SPDY version 2.
    bad.socket.write(Buffer.from([0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]));
    await bad.closed;
    assert.equal(bad.record.goAway, 1);
    assert.equal(started[before]?.killed, true);
    assert.ok(
      logs.some((l) => /closing connection: frame at byte \d+: control frame version 2, want 3/.test(l)),
    );
    await other.closed;
    assert.equal(other.record.text(3), 'survivor\n');
  });
});

function pingFrame(id: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(0x8003, 0);
  b.writeUInt16BE(6, 2);
  b.writeUIntBE(4, 5, 3);
  b.writeUInt32BE(id, 8);
  return b;
}

function recordFrom(bytes: Buffer) {
  const socket = new Duplex({ read() {}, write: (_c, _e, d) => d() });
  const r = recordServer(socket);
  socket.emit('data', bytes);
  return r;
}
