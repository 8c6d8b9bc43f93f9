// golang-migrate's commands against a real PostgreSQL: up/down/goto/force/version/drop on a multi-file
// set, the exact version table, failure reports, dirty explanations and checksums.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type PgServer, startPostgres } from '@podbay/test-support';
import { migrateCli, migrationsDir } from './support/cli.js';

let server: PgServer;
let dbCounter = 0;
async function freshDb(): Promise<string> {
  const name = `cmd_${++dbCounter}`;
  await server.query(`CREATE DATABASE ${name}`);
  return name;
}

const SET = {
  '1_create_users.up.sql': 'CREATE TABLE users (id serial primary key, name text not null);',
  '1_create_users.down.sql': 'DROP TABLE users;',
  '2_add_email.up.sql':
    'ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX users_email ON users (email);',
  '2_add_email.down.sql': 'ALTER TABLE users DROP COLUMN email;',
  '5_seed.up.sql': "INSERT INTO users (name, email) VALUES ('ada', 'ada@example.org');",
  '5_seed.down.sql': 'DELETE FROM users;',
  '..data': 'ignored: not a migration name',
  'README.md': 'ignored too',
};

before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server.stop();
});

describe('migrate commands on a multi-file set', () => {
  const src = migrationsDir(SET);
  after(() => src.remove());

  test('up, version, down N, goto, force, down -all, drop -f', async () => {
    const db = await freshDb();
    const base = ['-path', src.dir, '-database', server.url(db)];

    const up = await migrateCli([...base, 'up']);
    assert.equal(up.code, 0, up.stderr);
    const lines = up.stderr.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] as string, /^1\/u create_users \(\d+(\.\d+)?(ns|µs|ms|s)\)$/);
    assert.match(lines[1] as string, /^2\/u add_email \(/);
    assert.match(lines[2] as string, /^5\/u seed \(/);
    assert.equal(up.stdout, '');

    const again = await migrateCli([...base, 'up']);
    assert.deepEqual([again.code, again.stderr], [0, 'no change\n']);

    const version = await migrateCli([...base, 'version']);
    assert.deepEqual([version.code, version.stderr], [0, '5\n']);

    const down = await migrateCli([...base, 'down', '1']);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /^5\/d seed \(/);
    assert.equal((await server.query('SELECT count(*)::int AS n FROM users', [], db)).rows[0].n, 0);

    const gotoOne = await migrateCli([...base, 'goto', '1']);
    assert.equal(gotoOne.code, 0, gotoOne.stderr);
    assert.match(gotoOne.stderr, /^2\/d add_email \(/);
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '1', dirty: false },
    ]);

    const gotoMissing = await migrateCli([...base, 'goto', '3']);
    assert.equal(gotoMissing.code, 1);
    assert.match(gotoMissing.stderr, /^error: no migration found for version 3/m);

    const upShort = await migrateCli([...base, 'up', '5']);
    assert.equal(upShort.code, 1);
    assert.match(upShort.stderr, /2\/u add_email[\s\S]*5\/u seed[\s\S]*error: limit 3 short/);

    const force = await migrateCli([...base, 'force', '2']);
    assert.equal(force.code, 0, force.stderr);
    assert.equal((await migrateCli([...base, 'version'])).stderr, '2\n');

    const all = await migrateCli([...base, 'down', '-all']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stderr, /^2\/d add_email[\s\S]*1\/d create_users/);
    const none = await migrateCli([...base, 'version']);
    assert.deepEqual([none.code, none.stderr], [1, 'error: no migration\n']);

    const refused = await migrateCli([...base, 'down'], 'n\n');
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /Are you sure you want to apply all down migrations\? \[y\/N\]\nerror: Not applying all down migrations/,
    );

    await migrateCli([...base, 'up', '2']);
    const drop = await migrateCli([...base, 'drop', '-f']);
    assert.equal(drop.code, 0, drop.stderr);
    const tables = await server.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      [],
      db,
    );
    assert.deepEqual(tables.rows, []);
  });

  test("schema_migrations has golang-migrate's exact shape; x-migrations-table and search_path move it", async () => {
    const db = await freshDb();
    await server.query('CREATE SCHEMA app', [], db);
    const r = await migrateCli(['-path', src.dir, '-database', server.url(db), 'up', '1']);
    assert.equal(r.code, 0, r.stderr);
    const cols = await server.query(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'schema_migrations' ORDER BY ordinal_position`,
      [],
      db,
    );
    assert.deepEqual(cols.rows, [
      { column_name: 'version', data_type: 'bigint', is_nullable: 'NO' },
      { column_name: 'dirty', data_type: 'boolean', is_nullable: 'NO' },
    ]);
    const pk = await server.query(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = 'public.schema_migrations'::regclass AND i.indisprimary`,
      [],
      db,
    );
    assert.deepEqual(pk.rows, [{ attname: 'version' }]);

    const custom = await migrateCli([
      '-path',
      src.dir,
      '-database',
      server.url(db, 'sslmode=disable&search_path=app&x-migrations-table=app_versions'),
      'up',
      '1',
    ]);
    assert.equal(custom.code, 0, custom.stderr);
    assert.deepEqual((await server.query('SELECT version, dirty FROM app.app_versions', [], db)).rows, [
      { version: '1', dirty: false },
    ]);
    assert.equal(
      (await server.query("SELECT to_regclass('app.users') IS NOT NULL AS ok", [], db)).rows[0].ok,
      true,
    );
  });
});

describe('failures', () => {
  const src = migrationsDir({
    '1_ok.up.sql': 'CREATE TABLE a (id int);',
    '1_ok.down.sql': 'DROP TABLE a;',
    '2_bad.up.sql':
      'CREATE TABLE b (id int);\n-- second statement is broken\nINSERT INTO b VALUES (1);\nSELEC 1;\n',
    '2_bad.down.sql': 'DROP TABLE b;',
  });
  after(() => src.remove());

  test('a failing migration names file, statement, line and column, and rolls back clean', async () => {
    const db = await freshDb();
    const r = await migrateCli(['-path', src.dir, '-database', server.url(db), 'up']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^1\/u ok \(/m);
    assert.match(
      r.stderr,
      /error: migration failed: syntax error at or near "SELEC" \(column 1\) in line 4: SELEC 1 \(details: pq: syntax error at or near "SELEC"\)/,
    );
    assert.match(r.stderr, /file: .*\/2_bad\.up\.sql \(version 2, up\)/);
    assert.match(r.stderr, /statement 3 of 3 at line 4, column 1: SELEC 1/);
    assert.match(r.stderr, /rolled back: database left at version 1, not dirty/);
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '1', dirty: false },
    ]);
    assert.equal(
      (await server.query("SELECT to_regclass('public.b') IS NULL AS gone", [], db)).rows[0].gone,
      true,
    );
  });

  test('golang-migrate protocol (x-use-transaction=false) leaves dirty, and the next run explains it', async () => {
    const db = await freshDb();
    const url = server.url(db, 'sslmode=disable&x-use-transaction=false');
    const r = await migrateCli(['-path', src.dir, '-database', url, 'up']);
    assert.equal(r.code, 1);
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '2', dirty: true },
    ]);
    const v = await migrateCli(['-path', src.dir, '-database', url, 'version']);
    assert.deepEqual([v.code, v.stderr], [0, '2 (dirty)\n']);
    const again = await migrateCli(['-path', src.dir, '-database', server.url(db), 'up']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^error: Dirty database version 2\. Fix and force version\.$/m);
    assert.match(again.stderr, /files: 2_bad\.up\.sql \/ 2_bad\.down\.sql/);
    assert.match(
      again.stderr,
      /last recorded at .*failed: file: .*2_bad\.up\.sql.*statement 3 of 3 at line 4, column 1: SELEC 1/,
    );
    assert.match(again.stderr, /migrate force 2` if .* or `migrate force 1` if none are/);
    src.write('2_bad.up.sql', 'CREATE TABLE b (id int);');
    assert.equal((await migrateCli(['-path', src.dir, '-database', url, 'force', '1'])).code, 0);
    const fixed = await migrateCli(['-path', src.dir, '-database', url, 'up']);
    assert.equal(fixed.code, 0, fixed.stderr);
    src.write(
      '2_bad.up.sql',
      'CREATE TABLE b (id int);\n-- second statement is broken\nINSERT INTO b VALUES (1);\nSELEC 1;\n',
    );
  });

  test('configuration errors fail at start naming the setting', async () => {
    const noDb = await migrateCli(['-path', src.dir, 'up']);
    assert.equal(noDb.code, 1);
    assert.match(noDb.stderr, /-database/);
    const badOpt = await migrateCli([
      '-path',
      src.dir,
      '-database',
      server.url('postgres', 'x-multi-statement=perhaps'),
      'up',
    ]);
    assert.equal(badOpt.code, 1);
    assert.match(badOpt.stderr, /x-multi-statement/);
    const badFlag = await migrateCli(['-lock-timeout', 'soon', 'up']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /invalid value "soon" for flag -lock-timeout/);
  });
});

describe('statements PostgreSQL refuses in a transaction, and x-multi-statement', () => {
  const src = migrationsDir({
    '1_table.up.sql': 'CREATE TABLE c (id int, v text);',
    '2_concurrent_index.up.sql': 'CREATE INDEX CONCURRENTLY c_v ON c (v);',
    '3_function.up.sql':
      "CREATE FUNCTION one() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nINSERT INTO c VALUES (one(), 'a;b');\nINSERT INTO c VALUES (2, 'x');",
  });
  after(() => src.remove());

  test('CREATE INDEX CONCURRENTLY falls back to the plain protocol and succeeds', async () => {
    const db = await freshDb();
    const r = await migrateCli(['-path', src.dir, '-database', server.url(db), 'up']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      (await server.query("SELECT to_regclass('public.c_v') IS NOT NULL AS ok", [], db)).rows[0].ok,
      true,
    );
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '3', dirty: false },
    ]);
  });

  test('x-multi-statement splits outside quotes and dollar bodies', async () => {
    const db = await freshDb();
    const r = await migrateCli([
      '-path',
      src.dir,
      '-database',
      server.url(db, 'sslmode=disable&x-multi-statement=true'),
      'up',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await server.query('SELECT id, v FROM c ORDER BY id', [], db)).rows, [
      { id: 1, v: 'a;b' },
      { id: 2, v: 'x' },
    ]);
  });
});

describe('validate', () => {
  const src = migrationsDir({
    '1_a.up.sql': 'CREATE TABLE va (id int);',
    '2_b.up.sql': 'CREATE TABLE vb (id int);',
    '3_c.up.sql': 'CREATE TABLE vc (id int);',
  });
  after(() => src.remove());

  test('reports an edited, already-applied migration and records missing checksums', async () => {
    const db = await freshDb();
    const base = ['-path', src.dir, '-database', server.url(db)];
    assert.equal((await migrateCli([...base, 'up', '2'])).code, 0);
    const clean = await migrateCli([...base, 'validate']);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stderr, /validate: 2 unchanged, 0 recorded now, 0 changed, 0 missing/);

    src.write('2_b.up.sql', 'CREATE TABLE vb (id bigint);');
    src.write('3_c.up.sql', 'CREATE TABLE vc (id bigint);'); // not applied yet: not a finding
    const edited = await migrateCli([...base, 'validate']);
    assert.equal(edited.code, 1);
    assert.match(
      edited.stderr,
      /changed 2_b\.up\.sql: applied .* with sha256:[0-9a-f]{64}, file now has sha256:[0-9a-f]{64}/,
    );
    assert.doesNotMatch(edited.stderr, /3_c/);

    await server.query('DELETE FROM schema_migrations_history WHERE version = 1', [], db);
    const backfill = await migrateCli([...base, 'validate']);
    assert.match(backfill.stderr, /recorded 1_a\.up\.sql sha256:/);
  });
});
