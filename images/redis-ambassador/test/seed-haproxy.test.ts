/**
 * The seed's HAProxy configuration, run the same way as the ambassador against the same real master and
 * replicas: clients send RESP arrays, the regex never matches, so every write lands on a read-only replica
 * and fails with READONLY. The ambassador, given the same servers, routes the same writes correctly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RedisGroup, type RedisServer } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { startAmbassador } from './support/ambassador.js';
import { type ManagedProcess, seedHaproxyConfig, startHaproxy } from './support/proxies.js';
import { commandStats } from './support/raw-client.js';

describe("the seed's HAProxy ambassador versus redis-ambassador", () => {
  const group = new RedisGroup();
  const dir = mkdtempSync(join(tmpdir(), 'ambassador-seed-'));
  let master: RedisServer;
  let replicas: RedisServer[];
  let haproxy: ManagedProcess;
  let ambassador: Ambassador;
  const clients: Redis[] = [];

  before(async () => {
    ({ master, replicas } = await group.startReplicated(2));
    haproxy = await startHaproxy(dir, (port) =>
      seedHaproxyConfig(
        port,
        master.port,
        replicas.map((r) => r.port),
      ),
    );
    ambassador = await startAmbassador(
      master.port,
      replicas.map((r) => r.port),
    );
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await haproxy?.stop();
    await ambassador?.stop();
    await group.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const writes = async (port: number): Promise<PromiseSettledResult<unknown>[]> => {
    const c = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    clients.push(c);
    return Promise.allSettled([
      c.set('seed:k', 'v'),
      c.incr('seed:n'),
      c.lpush('seed:l', 'x'),
      c.get('seed:k'),
    ]);
  };

  test('through the seed HAProxy config every write fails with READONLY on a replica', async () => {
    const results = await writes(haproxy.port);
    for (const r of results.slice(0, 3)) {
      assert.equal(r.status, 'rejected');
      assert.match(
        String((r as PromiseRejectedResult).reason),
        /READONLY You can't write against a read only replica/,
      );
    }
    let rejectedOnReplicas = 0;
    for (const rep of replicas)
      for (const st of (await commandStats(rep.port)).values()) rejectedOnReplicas += st.rejected;
    assert.equal(rejectedOnReplicas, 3, 'the three writes reached a replica');
  });

  test('through redis-ambassador the same writes succeed on the master', async () => {
    const results = await writes(ambassador.address.port);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
      ['OK', 1, 1, 'v'],
    );
    assert.equal((await commandStats(master.port)).get('set')?.calls, 1);
  });
});
