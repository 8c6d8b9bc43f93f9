import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MigrateError } from '../errors.js';
import { createMigration, DEFAULT_TIME_FORMAT, nextSeqVersion, timeVersion } from './create.js';

const dir = mkdtempSync(join(tmpdir(), 'migrate-create-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  dir,
  ext: 'sql',
  seq: true,
  digits: 6,
  format: DEFAULT_TIME_FORMAT,
  tz: 'UTC',
  now: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
};

test('create -seq numbers files after the last one and refuses overflow', () => {
  const first = createMigration({ ...base, name: 'create_users' });
  assert.deepEqual(first, [
    join(dir, '000001_create_users.up.sql'),
    join(dir, '000001_create_users.down.sql'),
  ]);
  createMigration({ ...base, name: 'add_email' });
  assert.ok(existsSync(join(dir, '000002_add_email.up.sql')));
  assert.equal(readdirSync(dir).length, 4);
  assert.throws(() => nextSeqVersion(['9_x.up.sql'], 1), /Next sequence number 10 too large/);
});

test('create with a timestamp uses the Go layout in the given zone', () => {
  assert.equal(timeVersion(base.now, DEFAULT_TIME_FORMAT, 'UTC'), '20240102030405');
  assert.equal(timeVersion(base.now, 'unix', 'UTC'), String(Date.UTC(2024, 0, 2, 3, 4, 5) / 1000));
  assert.equal(timeVersion(base.now, DEFAULT_TIME_FORMAT, 'Asia/Tokyo'), '20240102120405');
  assert.throws(() => createMigration({ ...base, seq: true, format: 'unix', name: 'x' }), MigrateError);
});
