// The shared helpers against the real servers they start: the RESP decoder's reply types, the
// replication defaults (and a caller overriding them), and that stop() leaves no process or directory.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import {
  canConnect,
  freePort,
  RedisGroup,
  RedisReplyError,
  redisCommand,
  startPostgres,
  startRedis,
  waitFor,
} from './index.js';

const alive = (pid: number | undefined): boolean => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

test('redisCommand decodes every RESP2 reply type; stop() kills by PID and removes the directory', async () => {
  const redis = await startRedis();
  const pid = redis.pid;
  try {
    assert.equal(await redisCommand(redis.port, ['PING']), 'PONG');
    assert.equal(await redisCommand(redis.port, ['SET', 'k', 'two\r\nlines']), 'OK');
    assert.equal(await redisCommand(redis.port, ['GET', 'k']), 'two\r\nlines');
    assert.equal(await redisCommand(redis.port, ['GET', 'missing']), null);
    assert.equal(await redisCommand(redis.port, ['INCR', 'n']), 1);
    await redisCommand(redis.port, ['RPUSH', 'l', 'a', 'b']);
    assert.deepEqual(await redisCommand(redis.port, ['LRANGE', 'l', '0', '-1']), ['a', 'b']);
    const err = await redisCommand(redis.port, ['NOSUCHCOMMAND']);
    assert.ok(err instanceof RedisReplyError && err.message.startsWith('ERR'), String(err));
    assert.deepEqual(await redisCommand(redis.port, ['CONFIG', 'GET', 'repl-diskless-sync-delay']), [
      'repl-diskless-sync-delay',
      '0',
    ]);
  } finally {
    await redis.stop();
  }
  assert.equal(alive(pid), false);
  assert.equal(existsSync(redis.dir), false);
  assert.equal(await canConnect(redis.port), false);
});

test('caller arguments come after the defaults and override them', async () => {
  const redis = await startRedis({ args: ['--repl-diskless-sync-delay', '3'] });
  try {
    assert.deepEqual(await redisCommand(redis.port, ['CONFIG', 'GET', 'repl-diskless-sync-delay']), [
      'repl-diskless-sync-delay',
      '3',
    ]);
  } finally {
    await redis.stop();
  }
});

test('a password-protected server counts as started (it answers NOAUTH)', async () => {
  const redis = await startRedis({ args: ['--requirepass', 's3cret'] });
  try {
    const reply = await redisCommand(redis.port, ['PING']);
    assert.ok(reply instanceof RedisReplyError && reply.message.startsWith('NOAUTH'), String(reply));
  } finally {
    await redis.stop();
  }
});

test('RedisGroup: a master with linked replicas, all stopped and removed by stopAll', async () => {
  const group = new RedisGroup();
  try {
    const { master, replicas } = await group.startReplicated(2);
    assert.equal(replicas.length, 2);
    await redisCommand(master.port, ['SET', 'k', 'v']);
    for (const r of replicas) {
      await waitFor(
        'the write on the replica',
        async () => (await redisCommand(r.port, ['GET', 'k'])) === 'v',
      );
    }
  } finally {
    await group.stopAll();
  }
  for (const s of group.servers) {
    assert.equal(alive(s.pid), false);
    assert.equal(existsSync(s.dir), false);
  }
});

test('waitFor names what it waited for, and gives up at once when aborted', async () => {
  await assert.rejects(
    waitFor('never', () => false, 50),
    /timed out waiting for never/,
  );
  const started = Date.now();
  await assert.rejects(
    waitFor('aborted', () => false, 10_000, { abort: () => true }),
    /gave up waiting for aborted/,
  );
  assert.ok(Date.now() - started < 1000);
  assert.equal(await canConnect(await freePort()), false);
});

test('startPostgres: url() and query() reach it; stop() removes its directory', async () => {
  const pg = await startPostgres();
  try {
    assert.match(
      pg.url('app'),
      new RegExp(`^postgres://postgres@127\\.0\\.0\\.1:${pg.port}/app\\?sslmode=disable$`),
    );
    assert.deepEqual((await pg.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
  } finally {
    await pg.stop();
  }
  assert.equal(existsSync(pg.dir), false);
});
