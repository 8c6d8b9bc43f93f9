import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { LongTimeout, MAX_TIMER_MS, setLongTimeout, sleep } from './long-timeout.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LongTimeout', () => {
  test('a delay past 2^31-1 ms does not fire at once (plain setTimeout would after 1 ms)', async () => {
    let fired = 0;
    const t = setLongTimeout(() => fired++, MAX_TIMER_MS + 1);
    const y = setLongTimeout(() => fired++, 30 * 86_400_000); // 30 days
    const z = setLongTimeout(() => fired++, Number.POSITIVE_INFINITY);
    await wait(40);
    assert.equal(fired, 0);
    for (const x of [t, y, z]) x.clear();
  });

  test('waits the whole delay in steps of at most 2^31-1 ms', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let fired = 0;
      setLongTimeout(() => fired++, 2 * MAX_TIMER_MS + 10);
      mock.timers.tick(MAX_TIMER_MS);
      mock.timers.tick(MAX_TIMER_MS);
      assert.equal(fired, 0, 'not before the whole delay');
      mock.timers.tick(9);
      assert.equal(fired, 0);
      mock.timers.tick(1);
      assert.equal(fired, 1);
    } finally {
      mock.timers.reset();
    }
  });

  test('clear stops it, also between steps', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let fired = 0;
      const t = new LongTimeout(() => fired++, MAX_TIMER_MS + 10);
      mock.timers.tick(MAX_TIMER_MS);
      t.clear();
      mock.timers.tick(20);
      assert.equal(fired, 0);
      t.clear();
    } finally {
      mock.timers.reset();
    }
  });

  test('short, zero, negative and NaN delays fire soon', async () => {
    const fired: string[] = [];
    setLongTimeout(() => fired.push('5'), 5);
    setLongTimeout(() => fired.push('0'), 0);
    setLongTimeout(() => fired.push('-1'), -1);
    setLongTimeout(() => fired.push('NaN'), Number.NaN);
    await wait(30);
    assert.deepEqual(fired.sort(), ['-1', '0', '5', 'NaN']);
  });

  test('sleep resolves after the delay', async () => {
    const start = performance.now();
    await sleep(20);
    assert.ok(performance.now() - start >= 19);
  });
});
