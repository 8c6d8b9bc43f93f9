import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

const base = { DATABASE_URL: 'postgres://app:secret@db:5432/app?sslmode=disable' };

test('defaults follow the seed: port 8080, Redis localhost:6379, schema_migrations', () => {
  const c = loadConfig(base);
  assert.equal(c.port, 8080);
  assert.deepEqual(c.redis, { host: 'localhost', port: 6379, db: 0 });
  assert.equal(c.migrationsTable, 'schema_migrations');
  assert.ok(c.checkTimeoutMs < 1000, 'checks must fit in the probe default timeout of 1 s');
});

test('REDIS_HOST, REDIS_PORT, REDIS_PASSWORD and PORT are read', () => {
  const c = loadConfig({
    ...base,
    PORT: '9000',
    REDIS_HOST: 'redis.database',
    REDIS_PORT: '6380',
    REDIS_PASSWORD: 'pw',
  });
  assert.equal(c.port, 9000);
  assert.deepEqual(c.redis, { host: 'redis.database', port: 6380, password: 'pw', db: 0 });
});

test('bad values name their variable', () => {
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{}, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ...base, PORT: '80a' }, 'PORT'],
    [{ ...base, REDIS_PORT: '70000' }, 'REDIS_PORT'],
    [{ ...base, CHECK_TIMEOUT_MS: '-1' }, 'CHECK_TIMEOUT_MS'],
    [{ ...base, MIGRATIONS_TABLE: 'x; drop table users' }, 'MIGRATIONS_TABLE'],
  ];
  for (const [env, setting] of cases) {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) =>
        e instanceof ConfigError && e.setting === setting && e.message.startsWith(`${setting}:`),
      setting,
    );
  }
});

test('the DATABASE_URL error does not echo the password', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@h/db' }),
    (e: unknown) => e instanceof Error && !e.message.includes('hunter2'),
  );
});
