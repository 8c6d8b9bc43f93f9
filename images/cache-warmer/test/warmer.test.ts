// The cache warmer against a real redis-server: late, never, password-protected and full Redis, every
// entry type, idempotent re-runs and malformed entries files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, type RedisServer, startRedis } from '@podbay/test-support';
import { Redis } from 'ioredis';
import { runWarmer, startWarmer } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'warmer-test-'));
// The seed's config: quotes, $, backticks, $(...), backslashes, UTF-8 and a trailing newline.
const APP_CONFIG =
  '{"name": "web \'app\'", "price": "$5", "cmd": "`x` $(nor this)", "path": "C:\\\\tmp", "city": "Zürich"}\n';
writeFileSync(join(dir, 'app-config.json'), APP_CONFIG);
const ENTRIES = join(dir, 'entries.yaml');
writeFileSync(
  ENTRIES,
  `entries:
  - key: app:initialized
    value: "true"
  - key: app:config
    valueFromFile: app-config.json
    ttl: 3600
  - key: app:features
    type: hash
    value: {search: "on", beta: "off"}
  - key: app:queue
    type: list
    value: [first, second, first]
  - key: app:tags
    type: set
    value: [red, green]
    ttl: 1h
  - key: app:leaders
    type: zset
    value: {alice: 10, bob: 2.5}
`,
);
after(() => rmSync(dir, { recursive: true, force: true }));

const env = (port: number, extra: Record<string, string> = {}) => ({
  REDIS_HOST: '127.0.0.1',
  REDIS_PORT: String(port),
  ...extra,
});

describe('with a running Redis', () => {
  let server: RedisServer;
  let redis: Redis;
  before(async () => {
    server = await startRedis();
    redis = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
    await redis.connect();
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });

  test('loads every type byte-exact, then a re-run changes nothing that is current', async () => {
    const first = await runWarmer(['--file', ENTRIES], env(server.port));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^loaded +app:config \(string, \d+ bytes, ttl 3600s\)$/m);
    assert.match(first.stdout, /cache warmed: 6 loaded, 0 already current, 0 failed \(6 entries\)/);
    assert.equal(await redis.get('app:initialized'), 'true');
    assert.ok((await redis.getBuffer('app:config'))?.equals(Buffer.from(APP_CONFIG)));
    const ttl = await redis.ttl('app:config');
    assert.ok(ttl > 3590 && ttl <= 3600);
    assert.deepEqual(await redis.hgetall('app:features'), { search: 'on', beta: 'off' });
    assert.deepEqual(await redis.lrange('app:queue', 0, -1), ['first', 'second', 'first']);
    assert.deepEqual((await redis.smembers('app:tags')).sort(), ['green', 'red']);
    assert.deepEqual(await redis.zrange('app:leaders', 0, -1, 'WITHSCORES'), ['bob', '2.5', 'alice', '10']);

    await redis.pexpire('app:config', 1_000_000); // a TTL we can recognise: a current key is left alone
    const second = await runWarmer(['--file', ENTRIES], env(server.port));
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /cache warmed: 0 loaded, 6 already current, 0 failed/);
    const pttl = await redis.pttl('app:config');
    assert.ok(pttl > 900_000 && pttl <= 1_000_000, `TTL was reset: ${pttl}`);

    await redis.hset('app:features', 'extra', '1');
    await redis.set('app:queue', 'not a list');
    await redis.persist('app:tags');
    const third = await runWarmer(['--file', ENTRIES], env(server.port));
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /cache warmed: 3 loaded, 3 already current/);
    assert.deepEqual(await redis.hgetall('app:features'), { search: 'on', beta: 'off' });
    assert.equal(await redis.type('app:queue'), 'list');
    assert.ok((await redis.ttl('app:tags')) > 0);
  });

  test('--dry-run reports without writing', async () => {
    await redis.del('app:initialized');
    const r = await runWarmer(['--file', ENTRIES, '--dry-run'], env(server.port));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^would-load app:initialized/m);
    assert.equal(await redis.exists('app:initialized'), 0);
  });

  test('a malformed entries file fails at once naming line and field, without touching Redis', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'entries:\n  - key: app:initialized\n    value: "true"\n  - key: app:config\n    value: x\n    ttl: tomorrow\n',
    );
    const r = await runWarmer(['--file', bad], env(server.port));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: .*bad\.yaml:6:10: entries\[1\]\.ttl: want a positive number of seconds or a duration like 1h \(got "tomorrow"\)$/m,
    );
    assert.equal(r.stdout, '');
    const missing = await runWarmer(['--file', join(dir, 'nope.yaml')], env(server.port));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yaml.*--file: cannot read: ENOENT/);
  });
});

test('Redis that comes up late: waits with backoff, then loads', async () => {
  const port = await freePort();
  const { done } = startWarmer(['--file', ENTRIES, '--timeout', '30s'], env(port));
  await new Promise((r) => setTimeout(r, 1200));
  const server = await startRedis({ port });
  try {
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /waiting for Redis at 127\.0\.0\.1:\d+: ECONNREFUSED.*\(attempt 1, retry in 200ms\)/,
    );
    assert.match(r.stderr, /Redis at 127\.0\.0\.1:\d+ is ready \(PONG after \d+ attempts/);
    assert.match(r.stdout, /cache warmed: 6 loaded/);
  } finally {
    await server.stop();
  }
});

test('Redis that never comes up: fails at the deadline with a clear error', async () => {
  const port = await freePort();
  const r = await runWarmer(['--file', ENTRIES, '--timeout', '1500ms'], env(port));
  assert.equal(r.code, 1);
  assert.ok(r.ms < 6000, `took ${r.ms} ms`);
  assert.match(
    r.stderr,
    /error: Redis at 127\.0\.0\.1:\d+ did not answer PING within 2s \(--timeout; \d+ attempts, last error: ECONNREFUSED/,
  );
});

test('SIGTERM while waiting exits at once with 143', async () => {
  const port = await freePort();
  const { child, done } = startWarmer(['--file', ENTRIES, '--timeout', '60s'], env(port));
  await new Promise((r) => setTimeout(r, 700));
  const t0 = Date.now();
  child.kill('SIGTERM');
  const r = await done;
  assert.equal(r.code, 143);
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  assert.match(r.stderr, /stopped by SIGTERM while waiting for Redis/);
});

describe('password-protected and full Redis', () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedis({ args: ['--requirepass', 's3cret'] });
  });
  after(async () => {
    await server.stop();
  });

  test('a missing or wrong password is a configuration error naming REDIS_PASSWORD, not "ready"', async () => {
    const none = await runWarmer(['--file', ENTRIES, '--timeout', '20s'], env(server.port));
    assert.equal(none.code, 2);
    assert.ok(none.ms < 5000);
    assert.match(none.stderr, /refused authentication: NOAUTH.*REDIS_PASSWORD/);
    const wrong = await runWarmer(['--file', ENTRIES], env(server.port, { REDIS_PASSWORD: 'nope' }));
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /WRONGPASS|invalid password/);
    const ok = await runWarmer(['--file', ENTRIES], env(server.port, { REDIS_PASSWORD: 's3cret' }));
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('entries that cannot be written exit 1 naming the key and the reason', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: server.port, password: 's3cret', lazyConnect: true });
    await admin.connect();
    try {
      await admin.flushall();
      await admin.config('SET', 'maxmemory', '1');
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      const r = await runWarmer(['--file', ENTRIES], env(server.port, { REDIS_PASSWORD: 's3cret' }));
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^failed +app:initialized \(string\): write failed: OOM/m);
      assert.match(r.stderr, /error: 6 entries are not in place: app:initialized \(write failed: OOM/);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    }
  });
});
