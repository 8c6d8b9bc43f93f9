/**
 * Each pattern's containers run as the manifests configure them (catalog program, args, env,
 * ConfigMap files) against real nginx, Redis and PostgreSQL on loopback, only host names, ports and
 * mount paths mapped to this machine: the configuration, not podbay's pod runtime, is under test.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort, RedisGroup } from '@podbay/test-support';
import YAML from 'yaml';
import { find, ROOT } from './examples-manifests.js';
import {
  commandCalls,
  containerOf,
  redisCli,
  rewrite,
  startContainer,
  stopProcess,
  until,
} from './examples-run-support.js';

describe('pattern 1 configuration runs: nginx with web-app-config, the log shipper with its config', () => {
  // The pod's paths moved under a temp dir, port 80 to a free loopback port; nothing else changes.
  const dir = mkdtempSync(join(tmpdir(), 'podbay-examples-sidecar-'));
  const logs = join(dir, 'logs');
  let nginx: ChildProcess | undefined;
  let shipper: ChildProcess | undefined;
  after(async () => {
    await stopProcess(shipper);
    await stopProcess(nginx);
    rmSync(dir, { recursive: true, force: true });
  });

  test('nginx accepts and serves it, and the shipper prints the request as a parsed record', async () => {
    const port = await freePort();
    for (const d of ['logs', 'conf.d', 'state', 'tmp']) mkdirSync(join(dir, d));
    const conf = find('ConfigMap', 'development', 'web-app-config')!.data!['default.conf']!;
    writeFileSync(
      join(dir, 'conf.d/default.conf'),
      rewrite(conf, [
        ['/var/log/nginx/', `${logs}/`],
        ['listen 80;', `listen 127.0.0.1:${port};`],
      ]),
    );
    // What the nginx image's nginx.conf does around conf.d: include it inside http {}.
    const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (t) => `${t}_temp_path ${dir}/tmp/${t};`,
    );
    writeFileSync(
      join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nevents {}\nhttp {\n  default_type application/octet-stream;\n  ${temps.join('\n  ')}\n  include ${dir}/conf.d/*.conf;\n}\n`,
    );
    const base = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'main-error.log')];
    // nginx's stdout is a file here (as it is a pipe in a container): `access_log /dev/stdout` cannot
    // open a socket, which is what Node's stdio pipes are.
    const stdoutPath = join(dir, 'nginx.stdout');
    const stdoutFd = openSync(stdoutPath, 'a');
    try {
      const check = spawnSync('nginx', ['-t', ...base], {
        encoding: 'utf8',
        timeout: 10_000,
        stdio: ['ignore', stdoutFd, 'pipe'],
      });
      assert.equal(check.status, 0, check.stderr);
      nginx = spawn('nginx', [...base, '-g', 'daemon off;'], { stdio: ['ignore', stdoutFd, 'ignore'] });
    } finally {
      closeSync(stdoutFd);
    }

    const url = `http://127.0.0.1:${port}`;
    let health: Response | undefined;
    for (let i = 0; i < 100 && !health; i++) {
      health = await fetch(`${url}/health`).catch(() => undefined);
      if (!health) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(health, 'nginx did not answer');
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'healthy\n');
    assert.equal(health.headers.get('content-type'), 'text/plain', 'one Content-Type, text/plain');
    const ready = await fetch(`${url}/ready`);
    assert.deepEqual([ready.status, await ready.text()], [200, 'ready\n']);
    const agent = `examples-test/${process.pid}`;
    assert.equal((await fetch(`${url}/`, { headers: { 'user-agent': agent } })).status, 200);
    // `kubectl logs -c web-app` shows the request too (nginx logs it once the response is sent).
    const logged = new RegExp(`"GET / HTTP/1.1" 200 \\d+ "-" "${agent}"`);
    for (let i = 0; i < 100 && !logged.test(readFileSync(stdoutPath, 'utf8')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(readFileSync(stdoutPath, 'utf8'), logged);

    const shipperConf = YAML.parse(
      find('ConfigMap', 'development', 'log-shipper-config')!.data!['log-shipper.yaml']!,
    );
    const rewritten = YAML.parse(
      rewrite(JSON.stringify(shipperConf), [
        ['/var/log/nginx/', `${logs}/`],
        ['/var/lib/log-shipper', join(dir, 'state')],
        ['0.0.0.0:2020', '127.0.0.1:0'],
      ]),
    );
    writeFileSync(join(dir, 'log-shipper.yaml'), YAML.stringify(rewritten));
    shipper = spawn(
      process.execPath,
      [join(ROOT, 'images/log-shipper/bin/log-shipper.js'), '--config', join(dir, 'log-shipper.yaml')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    shipper.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    shipper.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const deadline = Date.now() + 15_000;
    while (!out.includes(agent) && Date.now() < deadline && shipper.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const line = out.split('\n').find((l) => l.includes(agent));
    assert.ok(line, `no record of the request on the shipper's stdout:\n${out}\n${err}`);
    const record = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(
      [record.method, record.path, record.status, record.user_agent],
      ['GET', '/', 200, agent],
    );
  });
});

/** A program started from a manifest's container, with its output kept for assertions. */

describe('pattern 2 runs: app.js from app-source-code through the ambassador as configured', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-examples-ambassador-'));
  const procs: ChildProcess[] = [];
  const redis = new RedisGroup();
  after(async () => {
    for (const p of procs.reverse()) await stopProcess(p);
    await redis.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  test('writes land on the master, reads on the replicas', async () => {
    const { master: m, replicas } = await redis.startReplicated(2);
    const [master, replica1, replica2] = [m.port, replicas[0]!.port, replicas[1]!.port];
    const [ambassadorPort, metricsPort, appPort] = await Promise.all(Array.from({ length: 3 }, freePort));
    const owner = 'Pod development/app-with-redis-ambassador';
    const config = find('ConfigMap', 'development', 'redis-ambassador-config')!.data![
      'redis-ambassador.yaml'
    ]!;
    writeFileSync(join(dir, 'redis-ambassador.yaml'), config);
    // The pod's env, except what DNS and the pod's own ports would give.
    const ambassador = await startContainer(containerOf(owner, 'redis-ambassador'), {
      AMBASSADOR_CONFIG: join(dir, 'redis-ambassador.yaml'),
      REDIS_MASTER_HOST: `127.0.0.1:${master}`,
      REDIS_REPLICA_HOST: `127.0.0.1:${replica1},127.0.0.1:${replica2}`,
      AMBASSADOR_LISTEN: `127.0.0.1:${ambassadorPort}`,
      AMBASSADOR_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
    });
    procs.push(ambassador.proc);
    await until(
      'the ambassador to be ready (/healthz, its readiness probe)',
      async () =>
        (await fetch(`http://127.0.0.1:${metricsPort}/healthz`).catch(() => undefined))?.status === 200,
      15_000,
      ambassador.output,
    );
    writeFileSync(join(dir, 'app.js'), find('ConfigMap', 'development', 'app-source-code')!.data!['app.js']!);
    const app = await startContainer(
      containerOf(owner, 'web-app'),
      { REDIS_PORT: String(ambassadorPort), PORT: String(appPort) },
      { cwd: dir },
    );
    procs.push(app.proc);
    const url = `http://127.0.0.1:${appPort}/items/greeting`;
    // Ready when its Redis (the ambassador) answers PING: the app does not queue commands meanwhile.
    const health = `http://127.0.0.1:${appPort}/health`;
    await until(
      'the app to reach Redis',
      async () => (await fetch(health).catch(() => undefined))?.status === 200,
      15_000,
      () => `${app.output()}\n${ambassador.output()}`,
    );
    const put = await fetch(url, { method: 'POST', body: 'hello' });
    assert.equal(put.status, 201, await put.text());
    assert.equal(commandCalls(master!, 'set'), 1, 'the write reached the master');
    // Reads follow the client's own write until the replicas caught up, then go to a replica.
    await until('a read served by a replica', async () => {
      const got = await fetch(url);
      assert.deepEqual(await got.json(), { id: 'greeting', value: 'hello' });
      return commandCalls(replica1!, 'get') + commandCalls(replica2!, 'get') > 0;
    });
    for (const r of [replica1!, replica2!]) {
      assert.doesNotMatch(redisCli(r, 'info', 'commandstats'), /cmdstat_set:.*rejected_calls=[1-9]/);
    }
  });
});

/** Waits for a container that runs to completion (an init container); returns its exit code. */
