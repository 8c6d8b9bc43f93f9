// --wait-for-db: an init container started before PostgreSQL waits instead of crash-looping.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { freePort, initCluster, type PgServer, startPostgres } from '@podbay/test-support';
import { migrateCli, migrationsDir, startMigrate } from './support/cli.js';

const src = migrationsDir({ '1_a.up.sql': 'CREATE TABLE a (id int);' });
let server: PgServer | undefined;
let cluster: ReturnType<typeof initCluster> | undefined;
after(async () => {
  src.remove();
  if (server) await server.stop();
  else if (cluster) rmSync(cluster.dir, { recursive: true, force: true });
});

test('waits for a database that comes up late, then migrates', async () => {
  cluster = initCluster();
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  const { done } = startMigrate(['-path', src.dir, '-database', url, '-wait-for-db', '30s', 'up']);
  await new Promise((r) => setTimeout(r, 1500));
  server = await startPostgres({ port, cluster });
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /waiting for database 127\.0\.0\.1:\d+\/postgres: connect ECONNREFUSED/);
  assert.match(r.stderr, /^1\/u a \(/m);
});

test('gives up at the deadline with an error naming the setting', async () => {
  const port = await freePort();
  const t0 = Date.now();
  const r = await migrateCli([
    '-path',
    src.dir,
    '-database',
    `postgres://u@127.0.0.1:${port}/db?sslmode=disable`,
    '-wait-for-db',
    '1s',
    'up',
  ]);
  assert.equal(r.code, 1);
  assert.ok(Date.now() - t0 < 5000);
  assert.match(
    r.stderr,
    /error: database 127\.0\.0\.1:\d+\/db not reachable after waiting 1s \(\d+ attempts\)/,
  );
});
