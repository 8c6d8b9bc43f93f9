/**
 * The v5 channel session over a real WebSocket (the `ws` client speaking as client-go does) with a
 * real local process behind it: frames, stdin half-close, the channel-3 Status and close code 1000.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { ExecSession } from '../../../runtime/types.js';
import { runChannelSession } from './exec-session.js';
import { V5_PROTOCOL } from './ws-channels.js';

interface Received {
  channels: Map<number, string>;
  textFrames: number;
  closeCode: number;
  resizes: { rows: number; cols: number }[];
}

describe('exec session over v5.channel.k8s.io', () => {
  let server: Server;
  let url = '';
  const resizes: { rows: number; cols: number }[] = [];
  before(async () => {
    const wss = new WebSocketServer({ noServer: true, handleProtocols: () => V5_PROTOCOL });
    server = createServer();
    server.on('upgrade', (req, socket, head) => {
      const cmd = new URL(req.url ?? '/', 'http://x').searchParams.get('cmd') ?? 'true';
      wss.handleUpgrade(req, socket, head, (ws) =>
        runChannelSession(
          ws,
          { stdin: true, stdout: true, stderr: true, tty: false },
          (streams): ExecSession => {
            const child = spawn('sh', ['-c', cmd], { stdio: ['pipe', 'pipe', 'pipe'] });
            streams.stdin?.pipe(child.stdin);
            if (streams.stdout) child.stdout.pipe(streams.stdout, { end: false });
            if (streams.stderr) child.stderr.pipe(streams.stderr, { end: false });
            return {
              resize: (size) => resizes.push(size),
              exitCode: new Promise((r) => child.on('close', (code) => r(code ?? 1))),
              kill: () => child.kill('SIGKILL'),
            };
          },
          () => {},
        ),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  function run(cmd: string, send: (ws: WebSocket) => void = () => {}): Promise<Received> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url}?cmd=${encodeURIComponent(cmd)}`, [V5_PROTOCOL]);
      const got: Received = { channels: new Map(), textFrames: 0, closeCode: 0, resizes };
      ws.on('open', () => send(ws));
      ws.on('message', (data, isBinary) => {
        if (!isBinary) got.textFrames++;
        const b = data as Buffer;
        got.channels.set(b[0]!, (got.channels.get(b[0]!) ?? '') + b.subarray(1).toString());
      });
      ws.on('close', (code) => {
        got.closeCode = code;
        resolve(got);
      });
      ws.on('error', reject);
    });
  }

  test('stdout and stderr on their channels, then a Success Status, then close 1000', async () => {
    const r = await run('echo out; echo err >&2');
    assert.equal(r.channels.get(1), 'out\n');
    assert.equal(r.channels.get(2), 'err\n');
    assert.deepEqual(JSON.parse(r.channels.get(3)!), { metadata: {}, status: 'Success' });
    assert.equal(r.textFrames, 0);
    assert.equal(r.closeCode, 1000);
  });

  test('a non-zero exit is the NonZeroExitCode Status; all output precedes it', async () => {
    const r = await run('seq 1 2000; exit 7');
    assert.equal(r.channels.get(1)?.split('\n').length, 2001);
    assert.equal(JSON.parse(r.channels.get(3)!).details.causes[0].message, '7');
    assert.equal(r.closeCode, 1000);
  });

  test('stdin frames feed the process and [255, 0] ends its stdin; resize frames reach the session', async () => {
    resizes.length = 0;
    const r = await run('cat', (ws) => {
      ws.send(Buffer.from([4, ...Buffer.from('{"Width":0,"Height":0}')]));
      ws.send(Buffer.from([4, ...Buffer.from('{"Width":120,"Height":40}')]));
      ws.send(Buffer.from([0, ...Buffer.from('typed\n')]));
      ws.send(Buffer.from([255, 0]));
    });
    assert.equal(r.channels.get(1), 'typed\n');
    assert.deepEqual(resizes, [{ cols: 120, rows: 40 }], 'the 0x0 size is skipped');
    assert.equal(r.closeCode, 1000);
  });
});
