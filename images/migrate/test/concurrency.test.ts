// Several runners at once, runners killed mid-migration, and the advisory lock golang-migrate shares.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type PgServer, startPostgres } from '@podbay/test-support';
import pg from 'pg';
import { migrationLockKey } from '../src/database/lock-id.js';
import { migrateCli, migrationsDir, startMigrate } from './support/cli.js';

let server: PgServer;
let dbCounter = 0;
async function freshDb(): Promise<string> {
  const name = `conc_${++dbCounter}`;
  await server.query(`CREATE DATABASE ${name}`);
  await server.query('CREATE TABLE applied (version int, pid int)', [], name);
  return name;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves once a backend is running the given query fragment in `db`. */
function runningQuery(db: string, fragment: string) {
  return waitFor(`a backend running ${fragment}`, async () => {
    const r = await server.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE $2`,
      [db, `%${fragment}%`],
    );
    return r.rows[0]?.pid as number | undefined;
  });
}

before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server.stop();
});

describe('three runners started at once', () => {
  const files: Record<string, string> = {};
  for (let v = 1; v <= 6; v++) {
    files[`${v}_step${v}.up.sql`] =
      `INSERT INTO applied VALUES (${v}, pg_backend_pid()); SELECT pg_sleep(0.05);`;
    files[`${v}_step${v}.down.sql`] = `DELETE FROM applied WHERE version = ${v};`;
  }
  const src = migrationsDir(files);
  after(() => src.remove());

  test('apply each migration exactly once', async () => {
    const db = await freshDb();
    const runs = await Promise.all(
      [1, 2, 3].map(() => migrateCli(['-path', src.dir, '-database', server.url(db), 'up'])),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const counts = await server.query(
      'SELECT version, count(*)::int AS n FROM applied GROUP BY version ORDER BY version',
      [],
      db,
    );
    assert.deepEqual(
      counts.rows,
      [1, 2, 3, 4, 5, 6].map((v) => ({ version: v, n: 1 })),
    );
    const applyLines = runs.flatMap((r) => r.stderr.split('\n').filter((l) => /^\d+\/u /.test(l)));
    assert.equal(applyLines.length, 6, 'each migration is reported by exactly one runner');
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '6', dirty: false },
    ]);
  });
});

describe('runner killed mid-migration', () => {
  const src = migrationsDir({
    '1_table.up.sql': 'CREATE TABLE t (id int);',
    '2_slow.up.sql': 'INSERT INTO t VALUES (2);\nSELECT pg_sleep(30);\nINSERT INTO t VALUES (22);',
    '3_after.up.sql': 'INSERT INTO t VALUES (3);',
  });
  after(() => src.remove());

  test('SIGKILL leaves the database before the migration, not dirty; the next runner completes it', async () => {
    const db = await freshDb();
    const { child, done } = startMigrate(['-path', src.dir, '-database', server.url(db), 'up']);
    const pid = await runningQuery(db, 'pg_sleep(30)');
    child.kill('SIGKILL');
    await done;
    // The server notices the dead client and rolls its transaction back; cancel the sleep to be quick.
    await server.query('SELECT pg_cancel_backend($1)', [pid]);
    await waitFor('the killed backend to go', async () => {
      const r = await server.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
      return r.rowCount === 0 ? true : undefined;
    });
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '1', dirty: false },
    ]);
    assert.deepEqual((await server.query('SELECT id FROM t ORDER BY id', [], db)).rows, []);
    src.write('2_slow.up.sql', 'INSERT INTO t VALUES (2);');
    const rerun = await migrateCli(['-path', src.dir, '-database', server.url(db), 'up']);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual((await server.query('SELECT id FROM t ORDER BY id', [], db)).rows, [
      { id: 2 },
      { id: 3 },
    ]);
    src.write('2_slow.up.sql', 'INSERT INTO t VALUES (2);\nSELECT pg_sleep(30);\nINSERT INTO t VALUES (22);');
  });

  test("contrast: with golang-migrate's protocol (x-use-transaction=false) the same kill leaves it dirty", async () => {
    const db = await freshDb();
    const url = server.url(db, 'sslmode=disable&x-use-transaction=false');
    const { child, done } = startMigrate(['-path', src.dir, '-database', url, 'up']);
    const pid = await runningQuery(db, 'pg_sleep(30)');
    child.kill('SIGKILL');
    await done;
    await server.query('SELECT pg_cancel_backend($1)', [pid]);
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '2', dirty: true },
    ]);
  });

  test('SIGTERM cancels the running migration at once, rolls it back and exits 143', async () => {
    const db = await freshDb();
    const { child, done } = startMigrate(['-path', src.dir, '-database', server.url(db), 'up']);
    await runningQuery(db, 'pg_sleep(30)');
    const t0 = Date.now();
    child.kill('SIGTERM');
    const r = await done;
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    assert.equal(r.code, 143, r.stderr);
    assert.match(
      r.stderr,
      /stopped by SIGTERM during 2\/u slow: rolled back, database left clean at version 1/,
    );
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '1', dirty: false },
    ]);
    assert.equal((await server.query('SELECT count(*)::int AS n FROM t', [], db)).rows[0].n, 0);
    const locks = await server.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
    assert.equal(locks.rows[0].n, 0, 'the advisory lock was released');
  });

  test('SIGINT lets the running migration finish and stops before the next (golang-migrate)', async () => {
    const db = await freshDb();
    src.write('2_slow.up.sql', 'INSERT INTO t VALUES (2);\nSELECT pg_sleep(1);');
    const { child, done } = startMigrate(['-path', src.dir, '-database', server.url(db), 'up']);
    await runningQuery(db, 'pg_sleep(1)');
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Stopping after this running migration \.\.\./);
    assert.deepEqual((await server.query('SELECT version, dirty FROM schema_migrations', [], db)).rows, [
      { version: '2', dirty: false },
    ]);
    src.write('2_slow.up.sql', 'INSERT INTO t VALUES (2);\nSELECT pg_sleep(30);\nINSERT INTO t VALUES (22);');
  });
});

describe('advisory lock shared with golang-migrate', () => {
  const src = migrationsDir({ '1_slow.up.sql': 'SELECT pg_sleep(30);' });
  after(() => src.remove());

  test("the lock a runner holds is golang-migrate's key for (schema, table, /db)", async () => {
    const db = await freshDb();
    const { child, done } = startMigrate(['-path', src.dir, '-database', server.url(db), 'up']);
    await runningQuery(db, 'pg_sleep(30)');
    const held = await server.query(
      "SELECT classid::text, objid::text, objsubid FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = $1)",
      [db],
    );
    assert.deepEqual(held.rows, [
      { classid: '0', objid: String(migrationLockKey(`/${db}`, 'public', 'schema_migrations')), objsubid: 1 },
    ]);
    child.kill('SIGTERM');
    await done;
  });

  test('a bounded lock wait names the holding backend (pid, application_name)', async () => {
    const db = await freshDb();
    // Hold the lock the way golang-migrate would: pg_advisory_lock(key) on its own session.
    const holder = new pg.Client({
      host: '127.0.0.1',
      port: server.port,
      user: 'postgres',
      database: db,
      application_name: 'golang-migrate-pod',
    });
    await holder.connect();
    try {
      const key = String(migrationLockKey(`/${db}`, 'public', 'schema_migrations'));
      await holder.query('SELECT pg_advisory_lock($1)', [key]);
      const holderPid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const t0 = Date.now();
      const r = await migrateCli(['-path', src.dir, '-database', server.url(db), '-lock-timeout', '1', 'up']);
      assert.equal(r.code, 1);
      assert.ok(Date.now() - t0 < 6000);
      assert.match(
        r.stderr,
        new RegExp(
          `^error: timeout: can't acquire database lock \\(held by pid ${holderPid}, application_name "golang-migrate-pod"`,
          'm',
        ),
      );
      await holder.query('SELECT pg_advisory_unlock($1)', [key]);
    } finally {
      await holder.end();
    }
  });

  test('SIGTERM during a lock wait exits 143 at once', async () => {
    const db = await freshDb();
    const holder = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'postgres', database: db });
    await holder.connect();
    try {
      const key = String(migrationLockKey(`/${db}`, 'public', 'schema_migrations'));
      await holder.query('SELECT pg_advisory_lock($1)', [key]);
      const { child, done } = startMigrate([
        '-path',
        src.dir,
        '-database',
        server.url(db),
        '-lock-timeout',
        '60',
        'up',
      ]);
      await runningQuery(db, 'pg_advisory_lock');
      const t0 = Date.now();
      child.kill('SIGTERM');
      const r = await done;
      assert.equal(r.code, 143, r.stderr);
      assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
      assert.match(r.stderr, /^stopped by SIGTERM/m);
      await holder.query('SELECT pg_advisory_unlock($1)', [key]);
    } finally {
      await holder.end();
    }
  });
});
