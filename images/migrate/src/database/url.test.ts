import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { migrationsTableName, parseDatabaseUrl } from './url.js';

test('seed URL: host, port, database, sslmode=disable, lock path keeps the slash', () => {
  const t = parseDatabaseUrl('postgres://app:s%40cret@db.svc:5433/appdb?sslmode=disable');
  assert.equal(t.client.host, 'db.svc');
  assert.equal(t.client.port, 5433);
  assert.equal(t.client.user, 'app');
  assert.equal(t.client.password, 's@cret');
  assert.equal(t.client.database, 'appdb');
  assert.equal(t.client.ssl, false);
  assert.equal(t.urlPath, '/appdb');
  assert.equal(t.options.useTransaction, true);
});

test('sslmode defaults to require without verification, like lib/pq', () => {
  const t = parseDatabaseUrl('postgresql://h/db');
  assert.deepEqual(t.client.ssl, { rejectUnauthorized: false });
});

test('x- options are parsed; other parameters become run-time settings', () => {
  const t = parseDatabaseUrl(
    'postgres://h/db?sslmode=disable&x-migrations-table=my_versions&x-statement-timeout=500&search_path=app&x-unknown=1',
  );
  assert.equal(t.options.migrationsTable, 'my_versions');
  assert.equal(t.options.statementTimeoutMs, 500);
  assert.equal(t.client.options, '-c search_path=app');
});

test('configuration errors name the setting', () => {
  assert.throws(
    () => parseDatabaseUrl('mysql://h/db'),
    (e: unknown) => e instanceof ConfigError && e.setting === '-database',
  );
  assert.throws(
    () => parseDatabaseUrl('postgres://h/db?x-multi-statement=maybe'),
    (e: unknown) => e instanceof ConfigError && e.setting === 'x-multi-statement',
  );
  assert.throws(
    () => parseDatabaseUrl('postgres://h/db?x-migrations-table=plain&x-migrations-table-quoted=true'),
    (e: unknown) => e instanceof ConfigError && e.setting === 'x-migrations-table',
  );
  assert.throws(() => parseDatabaseUrl('postgres://h/db?sslmode=prefer'), /sslmode/);
});

test('quoted migrations table may carry its schema', () => {
  const t = parseDatabaseUrl(
    'postgres://h/db?x-migrations-table=%22migrate%22.%22versions%22&x-migrations-table-quoted=1',
  );
  assert.deepEqual(migrationsTableName(t.options), { schema: 'migrate', table: 'versions' });
  assert.deepEqual(migrationsTableName(parseDatabaseUrl('postgres://h/db').options), {
    table: 'schema_migrations',
  });
});
