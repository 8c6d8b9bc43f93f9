/**
 * Read-your-writes against a real master and two replicas: a client's reads return to the replicas
 * within tens of milliseconds of a replica having its write (not after a fixed window), per replica, and
 * never return a value older than the client's own write, even from a replica whose replication is held
 * back with CLIENT PAUSE WRITE (which delays applying the master's stream but still serves reads and ROLE).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RedisGroup, type RedisServer, sleep } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { startAmbassador } from './support/ambassador.js';
import { calls, command, commandStats } from './support/raw-client.js';

describe('read-your-writes through the ambassador', () => {
  const group = new RedisGroup();
  let master: RedisServer;
  let replicas: RedisServer[];
  let ambassador: Ambassador;
  let client: Redis;

  const resetStats = async (): Promise<void> => {
    for (const s of [master, ...replicas]) await command(s.port, ['CONFIG', 'RESETSTAT']);
  };
  const replicaGets = (r: RedisServer): Promise<number> => commandStats(r.port).then((s) => calls(s, 'get'));

  before(async () => {
    ({ master, replicas } = await group.startReplicated(2));
    // Health rounds every second (the default): a prompt release must not depend on them.
    ambassador = await startAmbassador(
      master.port,
      replicas.map((r) => r.port),
      ['--health-interval-ms', '1000'],
    );
    client = new Redis({ port: ambassador.address.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  });

  after(async () => {
    client?.disconnect();
    // Never leave a replica paused, even if a test failed half-way.
    for (const r of replicas ?? []) await command(r.port, ['CLIENT', 'UNPAUSE']).catch(() => {});
    await ambassador?.stop();
    await group.stopAll();
  });

  test('SET then GET sees the write; reads reach a replica within 200 ms of the last write', async (t) => {
    for (let i = 0; i < 200; i++) {
      await client.set('ryw:loop', String(i));
      assert.equal(await client.get('ryw:loop'), String(i));
    }
    await resetStats();
    const lastWrite = Date.now();
    await client.set('ryw:loop', 'last');
    let elapsed = -1;
    for (let attempt = 0; attempt < 400 && Date.now() - lastWrite < 2000; attempt++) {
      assert.equal(await client.get('ryw:loop'), 'last');
      const onReplicas = (await replicaGets(replicas[0]!)) + (await replicaGets(replicas[1]!));
      if (onReplicas > 0) {
        elapsed = Date.now() - lastWrite;
        break;
      }
      await sleep(2);
    }
    assert.ok(elapsed >= 0, 'reads never left the master within the 2 s window');
    t.diagnostic(`reads reached a replica ${elapsed} ms after the last write`);
    assert.ok(elapsed < 200, `reads reached a replica ${elapsed} ms after the write`);
  });

  test('writes with no reads cost at most one master ROLE per 20 ms, not one per write', async () => {
    await resetStats();
    const started = Date.now();
    for (let i = 0; i < 300; i++) await client.set('ryw:burst', String(i));
    const elapsed = Date.now() - started;
    const roles = calls(await commandStats(master.port), 'role');
    // One sample per 20 ms, plus the 1 s health rounds that fell inside the burst.
    const bound = Math.ceil(elapsed / 20) + 2 + Math.ceil(elapsed / 1000);
    assert.ok(roles <= bound, `${roles} ROLE calls on the master for 300 writes in ${elapsed} ms`);
  });

  test('a replica held back never serves a stale value; the caught-up replica serves the reads', async () => {
    const [fresh, paused] = [replicas[0]!, replicas[1]!];
    assert.equal(await command(paused.port, ['CLIENT', 'PAUSE', '4000', 'WRITE']), 'OK');
    await resetStats();
    try {
      for (let i = 0; i < 60; i++) {
        await client.set('ryw:paused', `v${i}`);
        // Immediately after the write (master), and after the fresh replica had time to catch up.
        assert.equal(await client.get('ryw:paused'), `v${i}`);
        await sleep(15);
        assert.equal(await client.get('ryw:paused'), `v${i}`);
      }
      assert.equal(await replicaGets(paused), 0, 'no read went to the replica without the write');
      assert.ok((await replicaGets(fresh)) >= 30, 'the caught-up replica served most delayed reads');
      // The paused replica really is behind, yet still in rotation: only its offset kept reads off it.
      assert.equal(await command(paused.port, ['GET', 'ryw:paused']), null);
      assert.ok(
        ambassador.topology.readableReplicas().some((n) => n.address.port === paused.port),
        'the paused replica stayed readable (small lag, link up)',
      );
    } finally {
      await command(paused.port, ['CLIENT', 'UNPAUSE']);
    }
  });
});
