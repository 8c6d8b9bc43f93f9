/**
 * Routing against a real master and two replicas (Debian redis-server) through the ambassador, with a real
 * client library (ioredis) and redis-cli. Where a command ran is read from each server's INFO commandstats.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { RedisGroup, type RedisServer, waitFor } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { encodeCommand } from '../src/resp/request-parser.js';
import { startAmbassador } from './support/ambassador.js';
import { calls, command, commandStats, exchange } from './support/raw-client.js';

const run = promisify(execFile);

describe('routing through the ambassador', () => {
  const group = new RedisGroup();
  let master: RedisServer;
  let replicas: RedisServer[];
  let ambassador: Ambassador;
  let port: number;
  const clients: Redis[] = [];
  const client = (opts: Record<string, unknown> = {}): Redis => {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1, ...opts });
    clients.push(c);
    return c;
  };

  before(async () => {
    ({ master, replicas } = await group.startReplicated(2));
    ambassador = await startAmbassador(
      master.port,
      replicas.map((r) => r.port),
    );
    port = ambassador.address.port;
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await ambassador?.stop();
    await group.stopAll();
  });

  beforeEach(async () => {
    for (const s of [master, ...replicas]) await command(s.port, ['CONFIG', 'RESETSTAT']);
  });

  test('each write runs on the master only; no replica rejects a write', async () => {
    const c = client();
    for (let i = 0; i < 20; i++) {
      assert.equal(await c.set(`w:${i}`, 'v'), 'OK');
      assert.equal(await c.incr('w:counter'), i + 1);
      await c.lpush('w:list', String(i));
    }
    const m = await commandStats(master.port);
    assert.equal(calls(m, 'set'), 20);
    assert.equal(calls(m, 'incr'), 20);
    assert.equal(calls(m, 'lpush'), 20);
    for (const r of replicas) {
      const s = await commandStats(r.port);
      for (const [name, st] of s) assert.equal(st.rejected, 0, `replica ${r.port} rejected ${name}`);
    }
  });

  test('reads from a client that has not written spread over both replicas, none on the master', async () => {
    await client().set('r:key', 'hello');
    await waitFor('replicas have r:key', async () => {
      for (const r of replicas) if ((await command(r.port, ['GET', 'r:key'])) !== 'hello') return false;
      return true;
    });
    for (const s of [master, ...replicas]) await command(s.port, ['CONFIG', 'RESETSTAT']);
    const reader = client();
    for (let i = 0; i < 40; i++) assert.equal(await reader.get('r:key'), 'hello');
    assert.equal(calls(await commandStats(master.port), 'get'), 0);
    const perReplica = await Promise.all(replicas.map(async (r) => calls(await commandStats(r.port), 'get')));
    assert.deepEqual(perReplica, [20, 20]);
  });

  test('read-your-writes: a GET right after a SET on the same client sees the write', async () => {
    const c = client();
    for (let i = 0; i < 50; i++) {
      await c.set(`ryw:${i}`, `value-${i}`);
      assert.equal(await c.get(`ryw:${i}`), `value-${i}`);
    }
  });

  test('a mixed pipeline keeps request order across master and replicas', async () => {
    const c = client();
    await c.set('p:base', '0');
    await new Promise((r) => setTimeout(r, 1200)); // let read-your-writes lapse so reads go to replicas
    const p = c.pipeline();
    for (let i = 0; i < 100; i++) {
      p.get('p:base');
      p.incr('p:counter');
      p.set(`p:${i}`, String(i));
      p.get(`p:${i}`);
    }
    for (const s of [master, ...replicas]) await command(s.port, ['CONFIG', 'RESETSTAT']);
    const results = (await p.exec())!;
    assert.equal(results.length, 400);
    const replicaGets = (
      await Promise.all(replicas.map(async (r) => calls(await commandStats(r.port), 'get')))
    ).reduce((a, b) => a + b);
    assert.ok(replicaGets >= 1, 'the pipeline started on a replica');
    assert.ok(calls(await commandStats(master.port), 'get') >= 1, 'and continued on the master');
    for (let i = 0; i < 100; i++) {
      assert.deepEqual(results[i * 4], [null, '0']);
      assert.deepEqual(results[i * 4 + 1], [null, i + 1]);
      assert.deepEqual(results[i * 4 + 2], [null, 'OK']);
      assert.deepEqual(results[i * 4 + 3], [null, String(i)], 'GET after SET in the same pipeline sees it');
    }
  });

  test('MULTI/EXEC runs on the master as one transaction', async () => {
    const c = client();
    const res = await c.multi().set('tx:a', '1').incr('tx:a').get('tx:a').exec();
    assert.deepEqual(res, [
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ]);
    const m = await commandStats(master.port);
    assert.equal(calls(m, 'multi'), 1);
    assert.equal(calls(m, 'exec'), 1);
    for (const r of replicas) {
      // Replicas see MULTI/EXEC only as the replicated stream: nothing was sent to them directly.
      for (const [name, st] of await commandStats(r.port))
        assert.equal(st.rejected, 0, `replica rejected ${name}`);
      assert.ok(calls(await commandStats(r.port), 'multi') <= 1);
    }
  });

  test('WATCH aborts the transaction when another client changes the key', async () => {
    const a = client();
    const b = client();
    await a.set('watch:k', '1');
    await a.watch('watch:k');
    assert.equal(await a.get('watch:k'), '1');
    await b.set('watch:k', '2');
    const res = await a.multi().set('watch:k', 'from-a').exec();
    assert.equal(res, null, 'EXEC returns nil after the watched key changed');
    assert.equal(await b.get('watch:k'), '2');
  });

  test('odd transaction sequences are answered as Redis answers them', async () => {
    const cmds = (...list: string[][]): Buffer => Buffer.concat(list.map((a) => encodeCommand(a)));
    const sequences: [string, Buffer][] = [
      [
        // WATCH without MULTI runs commands at once: SELECT changes the db of what follows.
        'SELECT after WATCH',
        cmds(
          ['WATCH', 'odd:w'],
          ['SELECT', '5'],
          ['UNWATCH'],
          ['SET', 'odd:db5', 'v'],
          ['SELECT', '0'],
          ['GET', 'odd:db5'],
        ),
      ],
      [
        // An arity error inside MULTI leaves the transaction open: the SET is queued, EXEC aborts it.
        'DISCARD with an argument',
        cmds(['MULTI'], ['DISCARD', 'x'], ['SET', 'odd:discarded', '1'], ['EXEC'], ['GET', 'odd:discarded']),
      ],
      // EXEC with an argument ends the transaction all the same (EXECABORT).
      ['EXEC with an argument', cmds(['MULTI'], ['EXEC', 'x'], ['PING'], ['DISCARD'])],
      ['RESET with an argument', cmds(['CLIENT', 'SETNAME', 'odd'], ['RESET', 'x'], ['CLIENT', 'GETNAME'])],
      ['SUBSCRIBE after WATCH', cmds(['WATCH', 'odd:w'], ['SUBSCRIBE', 'odd:ch'], ['PING'])],
    ];
    for (const [what, bytes] of sequences) {
      // Redis first: the ambassador must not leave behind a write that Redis would not have made.
      const direct = (await exchange(master.port, bytes, () => false, 300)).received.toString();
      const { received } = await exchange(port, bytes, (r) => r.length >= direct.length, 2000);
      assert.equal(received.toString(), direct, what);
    }
  });

  test('pub/sub: a subscriber receives what another client publishes', async () => {
    const sub = client();
    const pub = client();
    const got = new Promise<string>((resolve) =>
      sub.on('message', (_ch: string, msg: string) => resolve(msg)),
    );
    await sub.subscribe('news');
    assert.equal(await pub.publish('news', 'hello'), 1);
    assert.equal(await got, 'hello');
    const pgot = new Promise<string>((resolve) =>
      sub.on('pmessage', (_p: string, _c: string, msg: string) => resolve(msg)),
    );
    await sub.psubscribe('n*');
    await pub.publish('nx', 'pattern');
    assert.equal(await pgot, 'pattern');
  });

  test('SUBSCRIBE queued in MULTI: after EXEC the client is subscribed, as on Redis', async () => {
    // The same transcript from the master itself and through the ambassador: EXEC's reply, the message
    // published afterwards, and the subscribed-mode answers to PING and GET.
    const transcript = async (to: number, channel: string): Promise<string> => {
      const socket = net.connect({ port: to, host: '127.0.0.1' });
      let received = '';
      socket.on('data', (b: Buffer) => {
        received += b.toString('latin1');
      });
      await new Promise((r) => socket.once('connect', r));
      socket.write(
        Buffer.concat([
          encodeCommand(['MULTI']),
          encodeCommand(['SUBSCRIBE', channel]),
          encodeCommand(['EXEC']),
        ]),
      );
      await waitFor('EXEC answered', () => received.includes(':1\r\n'), 3000);
      await command(master.port, ['PUBLISH', channel, 'after-exec']);
      await waitFor('message', () => received.includes('after-exec'), 3000);
      socket.write(Buffer.concat([encodeCommand(['PING']), encodeCommand(['GET', 'k'])]));
      await waitFor('GET refused', () => received.includes("-ERR Can't execute 'get'"), 3000);
      socket.destroy();
      return received.replaceAll(channel, 'CH');
    };
    const direct = await transcript(master.port, 'tx-sub-d');
    assert.match(direct, /message\r\n\$8\r\nCH\r\n\$10\r\nafter-exec/);
    assert.equal(await transcript(port, 'tx-sub-a'), direct);
  });

  test('SUBSCRIBE behind a large reply the client has not read yet: the subscriber is still heard', async () => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = Buffer.alloc(0);
    socket.on('data', (b: Buffer) => {
      received = Buffer.concat([received, b]);
    });
    await new Promise((r) => socket.once('connect', r));
    // CLIENT ID opens the client's own master connection, so the tunnel can start at once later.
    socket.write(encodeCommand(['CLIENT', 'ID']));
    await waitFor('CLIENT ID answered', () => received.length > 0);
    socket.pause(); // not reading: the ECHO reply fills the socket buffers as SUBSCRIBE becomes due
    received = Buffer.alloc(0);
    const big = Buffer.alloc(8 << 20, 97);
    socket.write(Buffer.concat([encodeCommand(['ECHO', big]), encodeCommand(['SUBSCRIBE', 'late'])]));
    await new Promise((r) => setTimeout(r, 300));
    socket.resume();
    const subscribed = '*3\r\n$9\r\nsubscribe\r\n$4\r\nlate\r\n:1\r\n';
    await waitFor('ECHO and SUBSCRIBE answered', () => received.toString('latin1').endsWith(subscribed));
    const before = received.length;
    socket.write(encodeCommand(['PING', 'still-read']));
    await waitFor('PING answered in subscribed mode', () =>
      received.subarray(before).toString().includes('still-read'),
    );
    socket.destroy();
  });

  test('BLPOP blocks on its own connection; other clients are not held up', async () => {
    const blocker = client();
    const other = client();
    const popped = blocker.blpop('bq', 5);
    let poppedYet = false;
    void popped.then(() => {
      poppedYet = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    // Answered while the BLPOP still waits (nothing has pushed to bq yet): no wall-clock bound, which on
    // a loaded machine would only measure the machine.
    assert.equal(await other.set('bq:other', 'x'), 'OK');
    assert.equal(await other.get('bq:other'), 'x');
    assert.equal(poppedYet, false, 'other clients answered while BLPOP waits');
    await other.rpush('bq', 'item');
    assert.deepEqual(await popped, ['bq', 'item']);
  });

  test('Lua: EVAL runs on the master, EVAL_RO and EVALSHA_RO on replicas', async () => {
    const c = client();
    assert.equal(await c.eval("return redis.call('SET', KEYS[1], ARGV[1])", 1, 'lua:k', 'v'), 'OK');
    assert.equal(calls(await commandStats(master.port), 'eval'), 1);
    await new Promise((r) => setTimeout(r, 1200));
    for (const s of [master, ...replicas]) await command(s.port, ['CONFIG', 'RESETSTAT']);
    const reader = client();
    await reader.call('EVAL_RO', "return redis.call('GET', KEYS[1])", '1', 'lua:k');
    const sha = (await reader.call('SCRIPT', 'LOAD', "return redis.call('GET', KEYS[1])")) as string;
    assert.equal(await reader.call('EVALSHA_RO', sha, '1', 'lua:k'), 'v');
    assert.equal(await reader.call('EVALSHA_RO', sha, '1', 'lua:k'), 'v');
    const onReplicas = (await Promise.all(replicas.map(async (r) => commandStats(r.port)))).map(
      (s) => calls(s, 'eval_ro') + calls(s, 'evalsha_ro'),
    );
    assert.equal(onReplicas[0]! + onReplicas[1]!, 3);
    assert.equal(calls(await commandStats(master.port), 'eval_ro'), 0);
  });

  test('SELECT is replayed: a client on db 3 writes and reads db 3 only', async () => {
    const c = client({ db: 3 });
    assert.equal(await c.set('db3:key', 'three'), 'OK');
    assert.equal(await c.get('db3:key'), 'three');
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(await c.get('db3:key'), 'three', 'replica read also in db 3');
    assert.equal(await command(master.port, ['GET', 'db3:key']), null, 'db 0 untouched');
    const plain = client();
    assert.equal(await plain.get('db3:key'), null, 'another client stays on db 0');
  });

  test('HELLO 3 and CLIENT SETNAME are kept per client', async () => {
    const bytes = Buffer.from(
      '*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$5\r\nalice\r\n' +
        '*2\r\n$3\r\nGET\r\n$12\r\nmissing:key3\r\n*2\r\n$6\r\nCLIENT\r\n$7\r\nGETNAME\r\n',
    );
    const { received } = await exchange(port, bytes, (r) => r.toString().endsWith('$5\r\nalice\r\n'));
    const text = received.toString();
    assert.match(text, /^%7\r\n/, 'HELLO 3 answers a RESP3 map');
    assert.match(text, /\+OK\r\n_\r\n\$5\r\nalice\r\n$/, 'RESP3 null for the missing key, then the name');
  });

  test('redis-cli through the ambassador: SET to the master, GET answered', async () => {
    const set = await run('redis-cli', ['-p', String(port), 'SET', 'cli:k', 'from-cli']);
    assert.equal(set.stdout.trim(), 'OK');
    const get = await run('redis-cli', ['-p', String(port), 'GET', 'cli:k']);
    assert.equal(get.stdout.trim(), 'from-cli');
    assert.equal(calls(await commandStats(master.port), 'set'), 1);
    const piped = await run('redis-cli', ['-p', String(port), 'EXISTS', 'cli:k']);
    assert.equal(piped.stdout.trim(), '1');
  });

  test('/metrics reports commands per backend and route', async () => {
    const res = await fetch(`http://127.0.0.1:${ambassador.metricsAddress!.port}/metrics`);
    const body = await res.text();
    assert.match(
      body,
      new RegExp(
        `redis_ambassador_commands_total\\{backend="127.0.0.1:${master.port}",route="master"\\} \\d+`,
      ),
    );
    assert.match(body, /redis_ambassador_commands_total\{backend="127.0.0.1:\d+",route="replica"\} \d+/);
    assert.match(body, /redis_ambassador_command_duration_seconds_bucket/);
    assert.match(
      body,
      new RegExp(`redis_ambassador_backend_up\\{backend="127.0.0.1:${master.port}",role="master"\\} 1`),
    );
    // The process's own health: CPU used and how late the event loop runs.
    assert.match(body, /^process_cpu_seconds_total \d/m);
    assert.match(body, /^nodejs_eventloop_lag_p99_seconds \d/m);
  });
});
