/**
 * Bad input from the network: malformed RESP gets a protocol error and only that connection is closed;
 * oversized bulk strings are refused; a client that pipelines without reading is throttled by
 * backpressure while other clients carry on.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { RedisGroup, type RedisServer, waitFor } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { scanReply } from '../src/resp/reply-scanner.js';
import { encodeCommand } from '../src/resp/request-parser.js';
import { startAmbassador } from './support/ambassador.js';
import { command, exchange } from './support/raw-client.js';

/** The query-buffer limit these tests give the ambassador (its minimum). */
const QUERY_LIMIT = 4 * 1024 * 1024;

/** `bytes` worth of ECHO commands (each about 130 bytes), for pipelines that outgrow a buffer. */
function echoes(bytes: number): Buffer {
  const one = encodeCommand(['ECHO', 'x'.repeat(100)]);
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / one.length) }, () => one));
}

describe('bad input from clients', () => {
  const group = new RedisGroup();
  let ambassador: Ambassador;
  let master: RedisServer;
  let port: number;
  let healthy: Redis;
  const blpopClients = async (): Promise<number> =>
    (String(await command(master.port, ['CLIENT', 'LIST'])).match(/cmd=blpop/g) ?? []).length;

  before(async () => {
    let replicas: RedisServer[];
    ({ master, replicas } = await group.startReplicated(1));
    ambassador = await startAmbassador(
      master.port,
      [replicas[0]!.port],
      ['--max-bulk-bytes', '1024', '--max-pipeline', '256', '--max-query-buffer-bytes', String(QUERY_LIMIT)],
    );
    port = ambassador.address.port;
    healthy = new Redis({ port, host: '127.0.0.1' });
    await healthy.set('healthy', 'yes');
  });

  after(async () => {
    healthy?.disconnect();
    await ambassador?.stop();
    await group.stopAll();
  });

  const cases: [string, Buffer, RegExp][] = [
    [
      'a non-bulk argument',
      Buffer.from('*2\r\n$3\r\nGET\r\n:12\r\n'),
      /^-ERR Protocol error: expected '\$', got ':'/,
    ],
    ['a garbage multibulk count', Buffer.from('*zz\r\n'), /^-ERR Protocol error: invalid multibulk length/],
    [
      'a bulk over --max-bulk-bytes',
      Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n'),
      /^-ERR Protocol error: invalid bulk length/,
    ],
    [
      'a bulk missing its CRLF',
      Buffer.from('*1\r\n$4\r\nPINGxx'),
      /^-ERR Protocol error: bulk string not terminated/,
    ],
    // Redis refuses these lengths too: forwarded, they made Redis close the shared master connection
    // under every other client's in-flight commands.
    [
      'a bulk length with a leading zero',
      Buffer.from('*1\r\n$04\r\nPING\r\n'),
      /^-ERR Protocol error: invalid bulk length \(at byte/,
    ],
    ['a multibulk count of -0', Buffer.from('*-0\r\n'), /^-ERR Protocol error: invalid multibulk length/],
    [
      'a NUL byte in an inline command',
      Buffer.from('SET k a\0b\r\n'),
      /^-ERR Protocol error: NUL byte in inline request/,
    ],
  ];
  for (const [what, bytes, expected] of cases) {
    test(`${what}: protocol error, connection closed, other clients unaffected`, async () => {
      const valid = encodeCommand(['SET', 'before-bad', '1']);
      const { received, closed } = await exchange(port, Buffer.concat([valid, bytes]), () => false);
      assert.equal(closed, true, 'the ambassador closed the connection');
      const text = received.toString();
      assert.ok(text.startsWith('+OK\r\n'), 'the valid command before the bad bytes was answered first');
      assert.match(text.slice(5), expected);
      assert.equal(await healthy.get('healthy'), 'yes');
    });
  }

  test('a bad argument header sent after a pause, mid-command, is answered at once', async () => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.on('data', (b: Buffer) => {
      received += b.toString();
    });
    await new Promise((r) => socket.once('connect', r));
    socket.write('*3\r\n$3\r\nSET\r\n');
    await new Promise((r) => setTimeout(r, 50));
    socket.write(':oops\r\n');
    await waitFor(
      'protocol error',
      () => /^-ERR Protocol error: expected '\$', got ':'/.test(received),
      2000,
    );
    socket.destroy();
  });

  test('a client that leaves while QUIT waits behind BLPOP k 0 is closed, with its master connection', async () => {
    const before = ambassador.metrics.clients;
    for (const tail of [encodeCommand(['QUIT']), Buffer.from('*x\r\n')]) {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.on('error', () => {});
      await new Promise((r) => socket.once('connect', r));
      socket.write(Buffer.concat([encodeCommand(['BLPOP', 'never:pushed', '0']), tail]));
      await waitFor('BLPOP blocked on the master', async () => (await blpopClients()) === 1);
      socket.end();
      // The ambassador gives owed replies a command timeout (1.5 s here) after the client's end.
      await waitFor('session closed', () => ambassador.metrics.clients === before, 5000);
      await waitFor('BLPOP connection closed', async () => (await blpopClients()) === 0);
      socket.destroy();
    }
  });

  test('a client blocked in BLPOP k 0 with more than the read-ahead queued behind it is seen leaving', async () => {
    // Before: reading stopped at 1 MiB of unparsed input, so the client's close was never seen and the
    // session, its input and its BLPOP connection stayed for good. Redis reads a blocked client on.
    const before = ambassador.metrics.clients;
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    await new Promise((r) => socket.once('connect', r));
    socket.write(Buffer.concat([encodeCommand(['BLPOP', 'never:pushed', '0']), echoes(2 * 1024 * 1024)]));
    await waitFor('BLPOP blocked on the master', async () => (await blpopClients()) === 1);
    await waitFor('the 2 MiB read', () => socket.writableLength === 0, 5000);
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await waitFor('session closed', () => ambassador.metrics.clients === before, 5000);
    await waitFor('BLPOP connection closed', async () => (await blpopClients()) === 0);
  });

  test('a blocked client that sends more than --max-query-buffer-bytes is closed, as Redis closes it', async () => {
    const before = ambassador.metrics.clients;
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    let closed = false;
    socket.once('close', () => {
      closed = true;
    });
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      Buffer.concat([encodeCommand(['BLPOP', 'never:pushed', '0']), echoes(QUERY_LIMIT + 1024 * 1024)]),
    );
    await waitFor('closed by the ambassador', () => closed, 10_000);
    await waitFor('session closed', () => ambassador.metrics.clients === before, 5000);
    await waitFor('BLPOP connection closed', async () => (await blpopClients()) === 0);
    assert.equal(await healthy.get('healthy'), 'yes');
  });

  test('a client that half-closes after its last command still gets every reply, as from Redis', async () => {
    // A script that takes 200 ms: its reply comes well after the client's end of input.
    const slow =
      "local s = redis.call('TIME') local t repeat t = redis.call('TIME') " +
      "until (t[1] - s[1]) * 1000000 + t[2] - s[2] > 200000 return 'slept'";
    const bytes = Buffer.concat([
      encodeCommand(['ECHO', 'first']),
      encodeCommand(['EVAL', slow, '0']),
      encodeCommand(['PING']),
    ]);
    const halfClose = async (to: number): Promise<string> => {
      const socket = net.connect({ port: to, host: '127.0.0.1', allowHalfOpen: true });
      let received = '';
      socket.on('data', (b: Buffer) => {
        received += b.toString();
      });
      const closed = new Promise((r) => socket.once('close', r));
      await new Promise((r) => socket.once('connect', r));
      socket.end(bytes);
      await closed;
      return received;
    };
    const want = '$5\r\nfirst\r\n$5\r\nslept\r\n+PONG\r\n';
    assert.equal(await halfClose(master.port), want, 'what Redis answers');
    assert.equal(await halfClose(port), want);
  });

  test('a client pipelining 20000 commands without reading is throttled, then answered in full and in order', async () => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise((r) => socket.once('connect', r));
    socket.pause();
    const commands: Buffer[] = [];
    for (let i = 0; i < 20_000; i++) commands.push(encodeCommand(['ECHO', String(i)]));
    socket.write(Buffer.concat(commands));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    assert.equal(await healthy.get('healthy'), 'yes');
    assert.ok(Date.now() - t0 < 500, 'other clients are served while one floods');
    let buf = Buffer.alloc(0);
    let count = 0;
    let pos = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${count} replies`)), 15_000);
      socket.on('data', (b: Buffer) => {
        buf = Buffer.concat([buf.subarray(pos), b]);
        pos = 0;
        for (let end = scanReply(buf, pos); end >= 0; end = scanReply(buf, pos)) {
          const body = buf.toString('latin1', pos, end);
          assert.equal(body, `$${String(count).length}\r\n${count}\r\n`);
          count++;
          pos = end;
        }
        if (count === 20_000) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.resume();
    });
    socket.destroy();
  });
});
