/**
 * Health and failover against real redis-server processes: a replica killed and restarted, the master
 * killed (writes get a bounded, clear -ERR, never a hang), and a replica promoted (followed via ROLE).
 * Each test builds its own master + two replicas, because each one breaks them.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { RedisGroup, sleep, waitFor, waitForLink } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { startAmbassador } from './support/ambassador.js';
import { calls, command, commandStats } from './support/raw-client.js';

describe('health and failover', () => {
  const groups: RedisGroup[] = [];
  const ambassadors: Ambassador[] = [];
  const clients: Redis[] = [];

  async function setUp(): Promise<{
    group: RedisGroup;
    ambassador: Ambassador;
    c: Redis;
    master: import('@podbay/test-support').RedisServer;
    replicas: import('@podbay/test-support').RedisServer[];
  }> {
    const group = new RedisGroup();
    groups.push(group);
    const { master, replicas } = await group.startReplicated(2);
    const ambassador = await startAmbassador(
      master.port,
      replicas.map((r) => r.port),
    );
    ambassadors.push(ambassador);
    const c = new Redis({ port: ambassador.address.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    clients.push(c);
    await c.ping();
    return { group, ambassador, c, master, replicas };
  }

  after(async () => {
    for (const c of clients) c.disconnect();
    for (const a of ambassadors) await a.stop();
    for (const g of groups) await g.stopAll();
  });

  test('a killed replica leaves rotation; reads keep succeeding; restarted, it serves reads again', async () => {
    const { c, master, replicas, ambassador } = await setUp();
    await c.set('k', 'v');
    await sleep(2200); // read-your-writes window over
    await replicas[0]!.kill();
    for (let i = 0; i < 30; i++) assert.equal(await c.get('k'), 'v', `read ${i} while a replica is down`);
    await waitFor(
      'replica 0 out of rotation',
      () => !ambassador.topology.readableReplicas().some((n) => n.address.port === replicas[0]!.port),
    );
    await replicas[0]!.start();
    await waitForLink(replicas[0]!.port);
    await waitFor('replica 0 back in rotation', () =>
      ambassador.topology.readableReplicas().some((n) => n.address.port === replicas[0]!.port),
    );
    for (const s of [master, ...replicas]) await command(s.port, ['CONFIG', 'RESETSTAT']);
    for (let i = 0; i < 20; i++) assert.equal(await c.get('k'), 'v');
    assert.ok(
      calls(await commandStats(replicas[0]!.port), 'get') >= 5,
      'restarted replica serves reads again',
    );
  });

  test('master killed: writes fail fast with a clear -ERR, reads still served by replicas', async () => {
    const { c, master } = await setUp();
    await c.set('k', 'v');
    await sleep(2200);
    await master.kill();
    const started = Date.now();
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      await assert.rejects(c.set('k', 'w'), /ambassador|no master|unavailable/);
      assert.ok(Date.now() - t0 < 2000, 'each write answered within the command timeout');
    }
    assert.ok(Date.now() - started < 10_000);
    await waitFor('master marked down', async () => {
      try {
        await c.set('k2', 'x');
        return false;
      } catch (e) {
        return /no master available/.test((e as Error).message);
      }
    });
    assert.equal(await c.get('k'), 'v', 'replicas keep serving reads with the master down');
  });

  test('a replica promoted after the master dies is followed for writes', async () => {
    const { c, master, replicas, ambassador } = await setUp();
    await c.set('before', '1');
    await master.kill();
    const [promoted, other] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    await command(promoted.port, ['REPLICAOF', 'NO', 'ONE']);
    await command(other.port, ['REPLICAOF', '127.0.0.1', String(promoted.port)]);
    await waitFor(
      'ambassador follows the promoted replica',
      () => ambassador.topology.currentMaster?.address.port === promoted.port,
    );
    assert.equal(await c.set('after', '2'), 'OK');
    assert.equal(await command(promoted.port, ['GET', 'after']), '2');
    assert.equal(await c.get('before'), '1');
    await waitForLink(other.port);
    await waitFor('the other replica serves reads from the new master', () =>
      ambassador.topology.readableReplicas().some((n) => n.address.port === other.port),
    );
  });
});
