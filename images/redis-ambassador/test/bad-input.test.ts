/**
 * Bad input from the network: malformed RESP gets a protocol error and only that connection is closed;
 * oversized bulk strings are refused; a client that pipelines without reading is throttled by
 * backpressure while other clients carry on.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { RedisGroup } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { scanReply } from '../src/resp/reply-scanner.js';
import { encodeCommand } from '../src/resp/request-parser.js';
import { startAmbassador } from './support/ambassador.js';
import { exchange } from './support/raw-client.js';

describe('bad input from clients', () => {
  const group = new RedisGroup();
  let ambassador: Ambassador;
  let port: number;
  let healthy: Redis;

  before(async () => {
    const { master, replicas } = await group.startReplicated(1);
    ambassador = await startAmbassador(
      master.port,
      [replicas[0]!.port],
      ['--max-bulk-bytes', '1024', '--max-pipeline', '256'],
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
