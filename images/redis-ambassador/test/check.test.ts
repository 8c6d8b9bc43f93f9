/**
 * `redis-ambassador --check` as a process against real Redis: same configuration sources as a start
 * (flags and env), a table of every backend, exit 0 only when the master is reachable and a master.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, RedisGroup, type RedisServer } from '@podbay/test-support';

const bin = fileURLToPath(new URL('../../bin/redis-ambassador.js', import.meta.url));

function check(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--check', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => {
      stdout += b;
    });
    child.stderr.on('data', (b) => {
      stderr += b;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('redis-ambassador --check', () => {
  const group = new RedisGroup();
  let master: RedisServer;
  let replica: RedisServer;

  before(async () => {
    ({
      master,
      replicas: [replica],
    } = (await group.startReplicated(1)) as { master: RedisServer; replicas: [RedisServer] });
  });

  after(async () => {
    await group.stopAll();
  });

  test('healthy master and replica, one replica down: a row each, exit 0', async () => {
    const down = await freePort();
    const r = await check([
      '--master',
      `127.0.0.1:${master.port}`,
      '--replicas',
      `127.0.0.1:${replica.port},127.0.0.1:${down}`,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^BACKEND\s+CONFIGURED AS\s+ROLE\s+OFFSET\s+LAG \(bytes\)\s+HEALTH\s+ROUTE$/m);
    assert.match(
      r.stdout,
      new RegExp(`^127\\.0\\.0\\.1:${master.port}\\s+master\\s+master\\s+\\d+\\s+-\\s+up\\s+writes`, 'm'),
    );
    assert.match(
      r.stdout,
      new RegExp(
        `^127\\.0\\.0\\.1:${replica.port}\\s+replica\\s+replica\\s+\\d+\\s+\\d+\\s+up\\s+reads$`,
        'm',
      ),
    );
    assert.match(
      r.stdout,
      new RegExp(`^127\\.0\\.0\\.1:${down}\\s+replica\\s+-\\s+-\\s+-\\s+DOWN\\s+none \\(down\\)$`, 'm'),
    );
    assert.match(r.stdout, new RegExp(`127\\.0\\.0\\.1:${down} is down: .*ECONNREFUSED`));
    assert.match(r.stdout, /command table: from the master's COMMAND \(\d+ commands\)/);
    assert.match(
      r.stdout,
      new RegExp(`OK: master 127\\.0\\.0\\.1:${master.port} is reachable .*; 1 replica\\(s\\) take reads`),
    );
  });

  test('the configured master (from the env, as the seed sets it) is a replica: exit 1 saying so', async () => {
    const r = await check([], { REDIS_MASTER_HOST: `127.0.0.1:${replica.port}` });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^127\\.0\\.0\\.1:${replica.port}\\s+master\\s+replica\\s`, 'm'));
    assert.match(r.stdout, /FAIL: no reachable master: no backend reports role master/);
  });

  test('the master is not reachable: exit 1 with the connection error', async () => {
    const down = await freePort();
    const r = await check(['--master', `127.0.0.1:${down}`, '--replicas', `127.0.0.1:${replica.port}`]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`FAIL: no reachable master: 127\\.0\\.0\\.1:${down}: .*ECONNREFUSED`));
  });

  test('a configuration error fails before any check, exit 2 naming the setting', async () => {
    const r = await check(['--master', `127.0.0.1:${master.port}`, '--max-lag-bytes', 'lots']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--max-lag-bytes: expected an integer, got "lots"/);
    assert.equal(r.stdout, '');
  });
});
