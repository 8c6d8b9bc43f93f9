// The web app against a real PostgreSQL 15 and a real Redis: readiness follows what the init
// containers did (migrations, cache warm), data comes from the migrated tables and the warmed keys,
// checks stay within the probe timeout when a backend hangs, and SIGTERM drains in-flight requests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { freePort, type PgServer, type RedisServer, startPostgres, startRedis } from '@podbay/test-support';
import { type RunningApp, startApp, WEB_APP_BIN } from './support/app.js';

// As golang-migrate leaves a database after `up` of two files: its version table plus the tables.
const MIGRATIONS = `
CREATE TABLE users (id serial PRIMARY KEY, username text UNIQUE NOT NULL, email text UNIQUE NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO users (username, email) VALUES ('alice', 'alice@example.com'), ('bob', 'bob@example.com'),
                                           ('carol', 'carol@example.com');
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (2, false);
`;
const APP_CONFIG = '{"feature_flags": {"new_ui": true}, "cache_ttl": 3600, "note": "it\'s \\"quoted\\""}\n';

describe('web-app against real PostgreSQL and Redis', () => {
  let pgServer: PgServer;
  let redis: RedisServer;
  let app: RunningApp;
  const redisCli = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const c = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(redis.port), ...args]);
      let out = '';
      c.stdout.on('data', (d) => {
        out += d;
      });
      c.once('error', reject);
      c.once('exit', (code) =>
        code === 0 ? resolve(out.trim()) : reject(new Error(`redis-cli exit ${code}`)),
      );
    });

  before(async () => {
    [pgServer, redis] = await Promise.all([startPostgres(), startRedis()]);
    await pgServer.query('CREATE DATABASE app');
    app = await startApp({
      DATABASE_URL: pgServer.url('app'),
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(redis.port),
    });
  });
  after(async () => {
    app?.kill();
    await Promise.all([pgServer?.stop(), redis?.stop()]);
  });

  test('before the init containers ran: live, but not ready, and each check says why', async () => {
    assert.equal((await app.get('/health/live')).status, 200);
    const ready = await app.get('/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, 'not-ready');
    assert.equal(ready.body.checks.postgres.ok, false);
    assert.match(
      ready.body.checks.postgres.detail,
      /schema_migrations" does not exist: migrations not applied/,
    );
    assert.equal(ready.body.checks.redis.ok, false);
    assert.match(ready.body.checks.redis.detail, /cache not warmed: app:initialized is unset/);
    const users = await app.get('/users');
    assert.equal(users.status, 503);
    assert.equal(users.body.error.code, 'WEBAPP_SCHEMA_MISSING');
    const config = await app.get('/config');
    assert.equal(config.status, 404);
    assert.equal(config.body.error.code, 'WEBAPP_NOT_FOUND');
  });

  test('a dirty migration keeps the pod unready', async () => {
    await pgServer.query(
      'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (1, true)',
      [],
      'app',
    );
    const ready = await app.get('/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.postgres.detail, 'migration 1 is dirty (failed half-way)');
    await pgServer.query('DROP TABLE schema_migrations', [], 'app');
  });

  test('after migrations and cache warm: ready, with what each check found', async () => {
    await pgServer.query(MIGRATIONS, [], 'app');
    assert.equal(await redisCli('SET', 'app:initialized', 'true'), 'OK');
    assert.equal(await redisCli('SETEX', 'app:config', '3600', APP_CONFIG), 'OK');
    const ready = await app.get('/health/ready');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(
      {
        status: ready.body.status,
        pg: ready.body.checks.postgres.detail,
        redis: ready.body.checks.redis.detail,
      },
      { status: 'ready', pg: 'schema version 2', redis: 'PONG, app:initialized=true' },
    );
  });

  test('GET /users serves the migrated rows, paged, and /users/:id one row', async () => {
    const all = await app.get('/users');
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 3);
    assert.deepEqual(
      all.body.items.map((u: { username: string }) => u.username),
      ['alice', 'bob', 'carol'],
    );
    assert.match(all.body.items[0].created_at, /^\d{4}-\d\d-\d\dT/);
    const page = await app.get('/users?limit=1&offset=1');
    assert.deepEqual(
      {
        items: page.body.items.map((u: { email: string }) => u.email),
        limit: page.body.limit,
        offset: page.body.offset,
      },
      { items: ['bob@example.com'], limit: 1, offset: 1 },
    );
    const one = await app.get('/users/3');
    assert.equal(one.body.username, 'carol');
    const missing = await app.get('/users/99');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.message, 'users 99 not found');
  });

  test('bad input gets a 400 naming the parameter; unknown paths and methods get 404/405', async () => {
    for (const [path, field] of [
      ['/users?limit=0', 'limit'],
      ['/users?limit=abc', 'limit'],
      ['/users?offset=-1', 'offset'],
      ['/users/x1', 'id'],
      ['/users/%zz', 'id'],
    ] as const) {
      const r = await app.get(path);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.error.code, 'WEBAPP_BAD_PARAM', path);
      assert.equal(r.body.error.field, field, path);
    }
    assert.equal((await app.get('/nope')).status, 404);
    const post = await fetch(`http://127.0.0.1:${app.port}/users`, { method: 'POST' });
    assert.equal(post.status, 405);
    await post.text();
  });

  test('GET /config serves app:config parsed as JSON, its TTL and app:initialized', async () => {
    const r = await app.get('/config');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.config, JSON.parse(APP_CONFIG));
    assert.equal(r.body.initialized, true);
    assert.ok(r.body.ttlSeconds > 3500 && r.body.ttlSeconds <= 3600, String(r.body.ttlSeconds));
  });

  test('GET / lists every endpoint', async () => {
    const r = await app.get('/');
    const paths = r.body.endpoints.map((e: { path: string }) => e.path);
    assert.deepEqual(paths, ['/', '/health/live', '/health/ready', '/users', '/users/:id', '/config']);
  });

  test('Redis going away turns readiness off quickly, and it comes back by itself', async () => {
    const port = redis.port;
    await redis.stop();
    const down = await app.get('/health/ready');
    assert.equal(down.status, 503);
    assert.equal(down.body.checks.postgres.ok, true);
    assert.equal(down.body.checks.redis.ok, false);
    assert.match(down.body.checks.redis.detail, /^not connected \(|ECONNREFUSED|Connection is closed/);
    assert.ok(down.ms < 1000, `answered in ${down.ms}ms`);
    assert.equal((await app.get('/health/live')).status, 200, 'liveness does not depend on Redis');
    redis = await startRedis({ port });
    await redisCli('SET', 'app:initialized', 'true');
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await app.get('/health/ready')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200, 'ready again after Redis came back');
  });

  test('SIGTERM exits 0 and logs the drain', async () => {
    assert.equal(await app.stop(), 0);
    assert.match(app.logs(), /SIGTERM: draining/);
    assert.match(app.logs(), /stopped/);
  });
});

describe('web-app against backends that accept connections and never answer', () => {
  const sockets = new Set<Socket>();
  let blackhole: Server;
  let app: RunningApp;
  before(async () => {
    blackhole = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    const port = await freePort();
    await new Promise<void>((r) => blackhole.listen(port, '127.0.0.1', r));
    app = await startApp({
      DATABASE_URL: `postgres://u@127.0.0.1:${port}/db?sslmode=disable`,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(port),
      CHECK_TIMEOUT_MS: '300',
    });
  });
  after(async () => {
    app?.kill();
    for (const s of sockets) s.destroy();
    await new Promise((r) => blackhole.close(r));
  });

  test('readiness answers 503 within the check timeout instead of hanging the probe', async () => {
    const r = await app.get('/health/ready');
    assert.equal(r.status, 503);
    assert.equal(r.body.checks.postgres.ok, false);
    assert.equal(r.body.checks.redis.ok, false);
    assert.ok(r.ms < 900, `answered in ${r.ms}ms with a 300 ms check timeout`);
  });

  test('SIGTERM during an in-flight request lets it finish, then exits 0', async () => {
    const inFlight = app.get('/health/ready');
    await new Promise((r) => setTimeout(r, 50));
    const exited = app.stop();
    const r = await inFlight;
    assert.equal(r.status, 503);
    assert.equal(await exited, 0);
  });
});

test('a bad setting exits 2 with a message naming it', async () => {
  const child = spawn(process.execPath, [WEB_APP_BIN], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'postgres://x@127.0.0.1/db', PORT: 'http' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 2);
  assert.match(stderr, /error: PORT: want an integer from 1 to 65535, got "http"/);
});
