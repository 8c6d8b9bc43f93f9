/**
 * Sentinel mode: the ambassador is given only a Sentinel (a real `redis-server --sentinel`), finds the
 * master and replicas through it, and follows the Sentinel-run failover when the master dies.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, RedisGroup, type RedisServer, waitFor } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { startAmbassador } from './support/ambassador.js';
import { command } from './support/raw-client.js';

describe('Sentinel discovery and failover', () => {
  const group = new RedisGroup();
  const dir = mkdtempSync(join(tmpdir(), 'ambassador-sentinel-'));
  let sentinel: ChildProcess;
  let sentinelPort: number;
  let master: RedisServer;
  let replicas: RedisServer[];
  let ambassador: Ambassador;
  let c: Redis;

  before(async () => {
    ({ master, replicas } = await group.startReplicated(2));
    sentinelPort = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor mymaster 127.0.0.1 ${master.port} 1\n` +
        'sentinel down-after-milliseconds mymaster 400\nsentinel failover-timeout mymaster 2000\n',
    );
    sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    await waitFor('sentinel sees both replicas', async () => {
      const r = await command(sentinelPort, ['SENTINEL', 'replicas', 'mymaster'], 500);
      return Array.isArray(r) && r.length === 2;
    });
    // No --master: everything comes from Sentinel.
    ambassador = await startAmbassador(
      0,
      [],
      ['--sentinels', `127.0.0.1:${sentinelPort}`, '--sentinel-master', 'mymaster'],
    );
    c = new Redis({ port: ambassador.address.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  });

  after(async () => {
    c?.disconnect();
    await ambassador?.stop();
    if (sentinel && sentinel.exitCode === null) {
      const exited = new Promise((r) => sentinel.once('exit', r));
      sentinel.kill('SIGKILL');
      await exited;
    }
    await group.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the master named by Sentinel takes the writes; its replicas are found too', async () => {
    assert.equal(ambassador.topology.currentMaster?.address.port, master.port);
    assert.equal(await c.set('s:k', 'v'), 'OK');
    assert.equal(await command(master.port, ['GET', 's:k']), 'v');
    await waitFor('replicas discovered', () => ambassador.topology.readableReplicas().length === 2);
  });

  test('after the master dies, writes follow the replica Sentinel promotes', async () => {
    await master.kill();
    await waitFor(
      'a promoted replica becomes the master',
      () => replicas.some((r) => ambassador.topology.currentMaster?.address.port === r.port),
      20_000,
    );
    await waitFor('writes succeed again', async () => (await c.set('s:after', '1')) === 'OK', 5000);
    const newMaster = ambassador.topology.currentMaster!.address.port;
    assert.equal(await command(newMaster, ['GET', 's:after']), '1');
  });
});
