/**
 * Root test: catalog images really run — redis (protected mode off, as the official image), postgres
 * (first start initialises PGDATA from POSTGRES_* env) and nginx — reachable on the pod IP.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { resolveCommand } from './command.js';
import {
  assertMachineClean,
  createTestRuntime,
  eventually,
  sandboxConfig,
  type TestRuntime,
} from './testing/harness.js';

describe('catalog images', { timeout: 60_000 }, () => {
  let t: TestRuntime;
  let sandbox = '';
  let podIP = '';
  before(async () => {
    t = await createTestRuntime();
    sandbox = await t.rt.runPodSandbox(sandboxConfig('images'));
    podIP = (await t.rt.podSandboxStatus(sandbox)).ip;
  });
  after(async () => {
    const dataDir = t.dataDir;
    await t.close();
    assertMachineClean(dataDir);
  });

  const run = async (name: string, image: string, env: Record<string, string> = {}, args?: string[]) => {
    const resolved = await t.rt.containers.deps.images.pullImage(image);
    const id = await t.rt.createContainer(sandbox, {
      metadata: { name, attempt: 0 },
      image,
      argv: args ?? resolveCommand(resolved),
      env: Object.entries(env).map(([n, value]) => ({ name: n, value })),
      logPath: `${name}/0.log`,
    });
    await t.rt.startContainer(id);
    return id;
  };

  test('redis answers on the pod IP', async () => {
    const id = await run('redis', 'redis:7');
    const pong = await eventually(
      async () => {
        try {
          return (
            execFileSync('redis-cli', ['-h', podIP, '-p', '6379', 'ping'], { encoding: 'utf8' }).trim() ||
            undefined
          );
        } catch {
          return undefined;
        }
      },
      10_000,
      'redis',
    );
    assert.equal(pong, 'PONG');
    assert.equal((await t.rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
  });

  test('postgres initialises its data directory from POSTGRES_* on first start', async () => {
    const id = await run('db', 'postgres:15', {
      POSTGRES_USER: 'app',
      POSTGRES_PASSWORD: 'secret',
      POSTGRES_DB: 'appdb',
    });
    const logPath = (await t.rt.containerStatus(id)).logPath;
    await eventually(
      async () => {
        const log = readFileSync(logPath, 'utf8');
        const ready = log.indexOf('init process complete');
        return ready >= 0 && log.indexOf('ready to accept connections', ready) >= 0 ? true : undefined;
      },
      30_000,
      'postgres to initialise and start',
    );
    const r = await t.rt.execSync(id, [
      'sh',
      '-c',
      `PGPASSWORD=secret psql -h ${podIP} -U app -d appdb -tAc 'select current_user, current_database()'`,
    ]);
    assert.equal(r.stdout.toString().trim(), 'app|appdb', r.stderr.toString());
  });

  test('nginx serves on port 80 of the pod IP, laid out as the official image', async () => {
    const id = await run('web', 'nginx:1.27');
    const res = await eventually(
      () =>
        new Promise<{ status: number; body: string } | undefined>((resolve) => {
          request({ host: podIP, port: 80, timeout: 2000 }, (r) => {
            let body = '';
            r.on('data', (d: Buffer) => {
              body += d;
            });
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
          })
            .on('error', () => resolve(undefined))
            .end();
        }),
      10_000,
      'nginx',
    );
    assert.equal(res.status, 200);
    assert.match(res.body, /Welcome to nginx/);
    // The official layout: conf.d only, none of Debian's sites-enabled (whose default_server would
    // answer requests meant for a pod's own server block).
    const conf = await t.rt.execSync(id, ['sh', '-c', 'cat /etc/nginx/nginx.conf; ls /etc/nginx/conf.d'], 10);
    const text = conf.stdout.toString();
    assert.match(text, /include \/etc\/nginx\/conf\.d\/\*\.conf;/);
    assert.match(text, /^default\.conf$/m);
    assert.doesNotMatch(text, /sites-enabled/);
  });

  test("busybox's own applets come first: ps lists the PID namespace, nc and ping exist", async () => {
    const id = await run('busybox', 'busybox', {}, ['sleep', '60']);
    const ps = await t.rt.execSync(id, ['ps']);
    // busybox ps prints `PID USER [TIME] COMMAND` and every process; procps would print
    // `PID TTY TIME CMD` and only those on its own terminal.
    assert.match(ps.stdout.toString(), /^PID +USER +(TIME +)?COMMAND$/m);
    assert.match(ps.stdout.toString(), /^ +1 .* sleep 60$/m, "the container's process is PID 1");
    const which = await t.rt.execSync(id, [
      'sh',
      '-c',
      'for c in nc ping nslookup; do command -v $c; done; readlink "$(command -v sh)"',
    ]);
    const lines = which.stdout.toString().trim().split('\n');
    assert.equal(lines.length, 4, which.stdout.toString() + which.stderr.toString());
    for (const l of lines.slice(0, 3)) assert.match(l, /dist\/images\/busybox\/bin\/(nc|ping|nslookup)$/);
    assert.match(lines[3]!, /busybox$/);
  });
});
