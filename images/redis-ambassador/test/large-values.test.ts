/**
 * Large values through the ambassador: a value near --max-bulk-bytes arrives and leaves in many reads,
 * and must cost about what it costs against Redis directly (each read joined once, not the whole value
 * copied again per read), so other clients and the health checks are not held up meanwhile.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RedisGroup, type RedisServer } from '@podbay/test-support';
import { Redis } from 'ioredis';
import type { Ambassador } from '../src/proxy/ambassador.js';
import { startAmbassador } from './support/ambassador.js';

describe('large values', () => {
  const group = new RedisGroup();
  let master: RedisServer;
  let ambassador: Ambassador;
  const clients: Redis[] = [];
  const client = (port: number): Redis => {
    const c = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    clients.push(c);
    return c;
  };

  before(async () => {
    let replicas: RedisServer[];
    ({ master, replicas } = await group.startReplicated(1));
    ambassador = await startAmbassador(master.port, [replicas[0]!.port]);
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await ambassador?.stop();
    await group.stopAll();
  });

  /** SET then GET of `value` on `port`; resolves with the milliseconds taken. */
  const roundTrip = async (port: number, key: string, value: Buffer): Promise<number> => {
    const c = client(port);
    await c.ping();
    const t0 = performance.now();
    assert.equal(await c.set(key, value), 'OK');
    const back = await c.getBuffer(key);
    const ms = performance.now() - t0;
    assert.ok(back?.equals(value), 'the value comes back whole');
    return ms;
  };

  test('a 48 MiB value costs about what it costs directly, and other clients are answered meanwhile', async () => {
    const value = Buffer.alloc(48 << 20, 'v');
    const direct = await roundTrip(master.port, 'large:direct', value);
    const other = client(ambassador.address.port);
    let stop = false;
    let errors = 0;
    const pings = (async () => {
      while (!stop) {
        await other.ping().catch(() => errors++);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const through = await roundTrip(ambassador.address.port, 'large:through', value);
    stop = true;
    await pings;
    // Joining the value on every read (about 750 reads each way) took over 100 times as long, long
    // enough for the health checks to time out and the master to be dropped. Not a benchmark (bench/
    // measures throughput): a bound an order of magnitude loose that only quadratic copying breaks.
    assert.ok(
      through < 10 * direct + 2000,
      `${through.toFixed(0)} ms through, ${direct.toFixed(0)} ms direct`,
    );
    assert.equal(errors, 0, 'pings from another client all answered');
    assert.notEqual(ambassador.topology.currentMaster, null);
  });
});
