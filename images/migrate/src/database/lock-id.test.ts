import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateAdvisoryLockId, lockKeyToPgLocks, migrationLockKey } from './lock-id.js';

// Vectors published in golang-migrate v4.15.2 database/util_test.go (TestGenerateAdvisoryLockId).
const published: Array<{ db: string; extra: string[]; id: string }> = [
  { db: 'database_name', extra: [], id: '1764327054' },
  { db: 'database_name', extra: ['schema_name_1'], id: '2453313553' },
  { db: 'database_name', extra: ['schema_name_2'], id: '235207038' },
  { db: 'database_name', extra: ['schema_name_1', 'schema_name_2'], id: '3743845847' },
];

test('advisory lock id matches golang-migrate published vectors', () => {
  for (const v of published) {
    assert.equal(String(generateAdvisoryLockId(v.db, ...v.extra)), v.id, JSON.stringify(v));
  }
});

test('migration lock key orders schema, table, then the URL path with its slash', () => {
  assert.equal(
    migrationLockKey('/app', 'public', 'schema_migrations'),
    generateAdvisoryLockId('/app', 'public', 'schema_migrations'),
  );
  assert.notEqual(
    migrationLockKey('/app', 'public', 'schema_migrations'),
    migrationLockKey('app', 'public', 'schema_migrations'),
  );
  const key = migrationLockKey('/app', 'public', 'schema_migrations');
  assert.ok(key >= 0n && key < 2n ** 32n);
});

test('pg_locks split of a key below 2^32 has classid 0', () => {
  assert.deepEqual(lockKeyToPgLocks(3743845847n), { classid: '0', objid: '3743845847' });
  assert.deepEqual(lockKeyToPgLocks((5n << 32n) + 7n), { classid: '5', objid: '7' });
});
