/**
 * The program as a process: configuration errors fail at start naming the setting (exit 2); SIGTERM
 * answers what is in flight, then exits 0 quickly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { canConnect, freePort, RedisGroup, type RedisServer } from '@podbay/test-support';
import { Redis } from 'ioredis';
import { startAmbassadorProcess } from './support/proxies.js';

const bin = fileURLToPath(new URL('../../bin/redis-ambassador.js', import.meta.url));

function runToExit(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stderr = '';
    child.stderr.on('data', (b) => {
      stderr += b;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('redis-ambassador CLI', () => {
  const group = new RedisGroup();
  let master: RedisServer;

  before(async () => {
    master = await group.startServer();
  });

  after(async () => {
    await group.stopAll();
  });

  test('no master configured: exit 2 naming REDIS_MASTER_HOST', async () => {
    const r = await runToExit([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid setting REDIS_MASTER_HOST \(--master\): is required/);
  });

  test('a bad env value: exit 2 naming the variable', async () => {
    const r = await runToExit([], { REDIS_MASTER_HOST: 'm', AMBASSADOR_MAX_LAG_BYTES: 'lots' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /AMBASSADOR_MAX_LAG_BYTES: expected an integer, got "lots"/);
  });

  test('--help prints every flag and exits 0', async () => {
    const child = spawn(process.execPath, [bin, '--help']);
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
    });
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0);
    assert.match(out, /--read-your-writes-window-ms/);
  });

  test('--workers 2: clients are served by both workers, the primary sums their metrics, SIGTERM stops all', async () => {
    const metricsPort = await freePort();
    const proc = await startAmbassadorProcess(
      [
        '--master',
        `127.0.0.1:${master.port}`,
        '--workers',
        '2',
        '--metrics-listen',
        `127.0.0.1:${metricsPort}`,
      ],
      bin,
    );
    const clients = Array.from(
      { length: 6 },
      () => new Redis({ port: proc.port, host: '127.0.0.1', maxRetriesPerRequest: 0 }),
    );
    for (const [i, c] of clients.entries())
      for (let j = 0; j < 10; j++) assert.equal(await c.set(`w:${i}:${j}`, 'v'), 'OK');
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const sets = [
      ...metrics.matchAll(/^redis_ambassador_commands_total\{[^}]*route="master"\} (\d+)$/gm),
    ].reduce((a, m) => a + Number(m[1]), 0);
    assert.ok(sets >= 60, `summed master commands ${sets}`);
    // Workers report their health checks on their own schedule (each second): wait for the merge.
    let known = metrics;
    for (let i = 0; i < 50 && !/^redis_ambassador_master_known 1$/m.test(known); i++) {
      await new Promise((r) => setTimeout(r, 100));
      known = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    }
    assert.match(known, /^redis_ambassador_master_known 1$/m);
    assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status, 200);
    for (const c of clients) c.disconnect();
    assert.equal(await proc.stop(), 0);
    assert.equal(await canConnect(proc.port), false, 'no worker is left listening');
  });

  test('SIGTERM: in-flight work is answered, then a clean exit within the shutdown timeout', async () => {
    const proc = await startAmbassadorProcess(
      ['--master', `127.0.0.1:${master.port}`, '--metrics-listen', 'off', '--shutdown-timeout-ms', '1500'],
      bin,
    );
    const c = new Redis({ port: proc.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    assert.equal(await c.set('k', 'v'), 'OK');
    const pending = c.get('k');
    const t0 = Date.now();
    assert.equal(await proc.stop(), 0, 'exit code 0 after SIGTERM');
    assert.equal(await pending, 'v');
    assert.ok(Date.now() - t0 < 2500, `stopped in ${Date.now() - t0} ms`);
    c.disconnect();
  });
});
