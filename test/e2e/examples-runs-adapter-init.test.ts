/**
 * Each pattern's containers run as the manifests configure them (catalog program, args, env,
 * ConfigMap files) against real nginx, Redis and PostgreSQL on loopback, only host names, ports and
 * mount paths mapped to this machine: the configuration, not podbay's pod runtime, is under test.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort, type RedisServer, startRedis } from '@podbay/test-support';
import { find, pods } from './examples-manifests.js';
import {
  completion,
  containerOf,
  rewrite,
  startContainer,
  stopProcess,
  until,
} from './examples-run-support.js';

describe('pattern 3 runs: the legacy app and the adapter as configured', () => {
  const procs: ChildProcess[] = [];
  after(async () => {
    for (const p of procs.reverse()) await stopProcess(p);
  });

  test("/metrics on the annotated port carries the app's real request counts, and promtool is clean", async () => {
    const owner = 'Deployment development/legacy-app-with-adapter';
    const pod = pods.find((p) => p.owner === owner)!;
    const [appPort, adminPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const app = await startContainer(containerOf(owner, 'legacy-app'), {
      PORT: String(appPort),
      ADMIN_PORT: String(adminPort),
      HOST: '127.0.0.1',
    });
    procs.push(app.proc);
    const adapter = await startContainer(
      containerOf(owner, 'metrics-adapter'),
      {},
      {
        rewriteArg: (a) =>
          a
            .replace('http://localhost:8888/', `http://127.0.0.1:${adminPort}/`)
            .replace(/^:9090$/, `127.0.0.1:${metricsPort}`),
      },
    );
    procs.push(adapter.proc);
    const appUrl = `http://127.0.0.1:${appPort}`;
    // Wait on the stats port: reads of the stats are not traffic, so the counts below stay exact.
    const stats = `http://127.0.0.1:${adminPort}/admin/stats`;
    await until(
      'the legacy app',
      async () => (await fetch(stats).catch(() => undefined))?.ok === true,
      15_000,
      app.output,
    );
    for (const path of ['/', '/', '/health', '/fail']) await (await fetch(`${appUrl}${path}`)).text();
    const metricsUrl = `http://127.0.0.1:${metricsPort}${pod.annotations['prometheus.io/path']}`;
    let body = '';
    await until(
      'the adapter to serve the legacy samples',
      async () => {
        body = await fetch(metricsUrl)
          .then((r) => r.text())
          .catch(() => '');
        return /^legacy_requests_total 4$/m.test(body);
      },
      15_000,
      () => `${adapter.output()}\n${body}`,
    );
    assert.match(body, /^legacy_errors_total 1$/m);
    assert.match(body, /^legacy_up 1$/m);
    const promtool = spawnSync('promtool', ['check', 'metrics'], {
      input: body,
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(promtool.status, 0, `${promtool.stdout}${promtool.stderr}`);
  });
});

describe('pattern 4 runs: migrations and cache warm-up gate the web app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-examples-init-'));
  const pgDirs: string[] = [];
  const procs: ChildProcess[] = [];
  let redis: RedisServer | undefined;
  after(async () => {
    for (const p of procs.reverse()) await stopProcess(p);
    await redis?.stop();
    for (const d of [dir, ...pgDirs]) rmSync(d, { recursive: true, force: true });
  });

  /** PostgreSQL 15 with the Secret's user, password and database, as the postgres image makes it. */
  async function startPostgres(port: number): Promise<void> {
    const creds = find('Secret', 'database', 'database-credentials')!.stringData!;
    const asPostgres =
      process.getuid?.() === 0
        ? {
            uid: Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout),
            gid: Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout),
          }
        : {};
    // Its own directory: PostgreSQL refuses root, and the postgres user cannot enter the test's.
    const pgDir = mkdtempSync(join(tmpdir(), 'podbay-examples-pg-'));
    pgDirs.push(pgDir);
    writeFileSync(join(pgDir, 'pw'), `${creds.password}\n`);
    if (asPostgres.uid !== undefined)
      spawnSync('chown', ['-R', `${asPostgres.uid}:${asPostgres.gid}`, pgDir]);
    const bin = '/usr/lib/postgresql/15/bin';
    const init = spawnSync(
      join(bin, 'initdb'),
      [
        '-D',
        join(pgDir, 'data'),
        '-U',
        creds.username!,
        `--pwfile=${join(pgDir, 'pw')}`,
        '--auth=scram-sha-256',
        '-N',
      ],
      { ...asPostgres, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(init.status, 0, init.stderr);
    const args = [
      '-D',
      join(pgDir, 'data'),
      '-p',
      String(port),
      '-k',
      pgDir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ];
    procs.push(spawn(join(bin, 'postgres'), args, { ...asPostgres, stdio: 'ignore' }));
    const env = { ...process.env, PGPASSWORD: creds.password };
    const psql = ['-h', '127.0.0.1', '-p', String(port), '-U', creds.username!, '-d', 'postgres', '-c'];
    await until(
      'PostgreSQL',
      () => spawnSync(join(bin, 'psql'), [...psql, 'SELECT 1'], { env, timeout: 5_000 }).status === 0,
    );
    const create = spawnSync(join(bin, 'psql'), [...psql, `CREATE DATABASE "${creds.database}"`], {
      env,
      encoding: 'utf8',
    });
    assert.equal(create.status, 0, create.stderr);
  }

  test('the web app is unready until db-migration and cache-warmer ran, then serves their data', async () => {
    const owner = 'Deployment development/web-app-with-init';
    const [pgPort, appPort] = await Promise.all([freePort(), freePort()]);
    await startPostgres(pgPort);
    redis = await startRedis();
    const redisPort = redis.port;
    for (const [cm, sub] of [
      ['database-migrations', 'migrations'],
      ['application-config', 'config'],
    ] as const) {
      mkdirSync(join(dir, sub));
      for (const [k, v] of Object.entries(find('ConfigMap', 'development', cm)!.data!))
        writeFileSync(join(dir, sub, k), v);
    }
    // What the Secret, DNS and the volume mounts give the pod, on this machine.
    const secretUrl = find('Secret', 'development', 'database-credentials')!.stringData![
      'connection-string'
    ]!;
    const databaseUrl = rewrite(secretUrl, [
      ['postgres.database.svc.cluster.local:5432', `127.0.0.1:${pgPort}`],
    ]);
    const env = { DATABASE_URL: databaseUrl, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisPort) };
    const mounts = (a: string) => a.replace(/^\/(migrations|config)\b/, `${dir}/$1`);

    const web = containerOf(owner, 'web-app');
    const webApp = await startContainer(web, { ...env, PORT: String(appPort), HOST: '127.0.0.1' });
    procs.push(webApp.proc);
    const base = `http://127.0.0.1:${appPort}`;
    const status = async (path: string) => (await fetch(`${base}${path}`).catch(() => undefined))?.status;
    await until(
      'the web app to be live',
      async () => (await status(web.livenessProbe!.httpGet!.path!)) === 200,
      15_000,
      webApp.output,
    );
    assert.equal(
      await status(web.readinessProbe!.httpGet!.path!),
      503,
      'ready before the init containers ran',
    );

    for (const name of ['db-migration', 'cache-warmer']) {
      const init = await startContainer(containerOf(owner, name), env, { rewriteArg: mounts });
      assert.equal(await completion(init), 0, `${name} failed:\n${init.output()}`);
    }
    await until(
      'the web app to be ready',
      async () => (await status(web.readinessProbe!.httpGet!.path!)) === 200,
      15_000,
      webApp.output,
    );
    const users = (await (await fetch(`${base}/users`)).json()) as { items: { username: string }[] };
    assert.deepEqual(
      users.items.map((u) => u.username),
      ['alice', 'bob'],
    );
    const config = (await (await fetch(`${base}/config`)).json()) as {
      initialized: boolean;
      config: { name: string };
      ttlSeconds: number;
    };
    assert.equal(config.initialized, true);
    assert.equal(config.config.name, 'web-app');
    assert.ok(config.ttlSeconds > 3500 && config.ttlSeconds <= 3600, `ttl ${config.ttlSeconds}`);
  });
});
