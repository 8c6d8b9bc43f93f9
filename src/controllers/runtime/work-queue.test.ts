import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { objectKey, splitKey, WorkQueue } from './work-queue.js';

const tick = () => new Promise<void>((r) => setImmediate(r));
/** Waits for `cond` up to `maxMs` of wall time: counting ticks alone raced the 5 ms timers below on a fast loop. */
async function until(cond: () => boolean, maxMs = 2000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!cond() && Date.now() < deadline) await tick();
  assert.ok(cond(), 'condition not reached');
}

describe('WorkQueue', () => {
  test('coalesces a key added many times before it runs', async () => {
    const runs: string[] = [];
    const q = new WorkQueue({ name: 't', sync: (k) => void runs.push(k), log: () => {} });
    for (let i = 0; i < 5; i++) q.add('a');
    q.add('b');
    await until(() => q.isQuiet() && runs.length >= 2);
    assert.deepEqual(runs, ['a', 'b']);
    q.shutDown();
  });

  test('never syncs one key twice at once; an add during a sync runs it again after', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release: () => void = () => {};
    const q = new WorkQueue({
      name: 't',
      sync: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        if (runs === 1) await new Promise<void>((r) => (release = r));
        active--;
      },
      log: () => {},
    });
    q.add('a');
    await until(() => runs === 1);
    q.add('a');
    q.add('a');
    for (let i = 0; i < 20; i++) await tick();
    assert.equal(runs, 1, 'the second add waits for the first sync');
    release();
    await until(() => runs === 2 && q.isQuiet());
    for (let i = 0; i < 20; i++) await tick();
    assert.equal(runs, 2);
    assert.equal(maxActive, 1);
    q.shutDown();
  });

  test('retries a failing key with growing backoff and logs each failure', async () => {
    const times: number[] = [];
    const logs: unknown[] = [];
    const q = new WorkQueue({
      name: 't',
      sync: () => {
        times.push(Date.now());
        if (times.length < 4) throw new Error('boom');
      },
      log: (_m, f) => logs.push(f),
      baseDelayMs: 5,
    });
    q.add('a');
    await until(() => times.length === 4, 100_000);
    assert.equal(logs.length, 3);
    assert.deepEqual(
      logs.map((l) => (l as { delayMs: number }).delayMs),
      [5, 10, 20],
    );
    assert.ok(times[3]! - times[2]! >= 15, 'third retry waited about 20 ms');
    q.shutDown();
  });

  test("addAfter beyond setTimeout's 2^31-1 ms waits instead of firing at once (a yearly CronJob)", async () => {
    const runs: string[] = [];
    const q = new WorkQueue({ name: 't', sync: (k) => void runs.push(k), log: () => {} });
    q.addAfter('yearly', 365 * 86_400_000);
    q.addAfter('soon', 5);
    await until(() => runs.includes('soon'));
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(runs, ['soon'], 'the far key did not run');
    q.addAfter('yearly', 1); // a sooner time replaces the far one
    await until(() => runs.includes('yearly'));
    q.shutDown();
  });

  test('keys', () => {
    assert.equal(objectKey('ns', 'a'), 'ns/a');
    assert.equal(objectKey('', 'node-1'), 'node-1');
    assert.deepEqual(splitKey('ns/a'), ['ns', 'a']);
    assert.deepEqual(splitKey('node-1'), ['', 'node-1']);
  });
});
