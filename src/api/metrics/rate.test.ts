import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CpuRateTracker } from './rate.js';

/**
 * A machine whose counter grows at `coreShare` cores while the clock moves; the clock moves only
 * when the test (or the tracker's sleep) moves it.
 */
function fakeMachine(coreShare: number) {
  let now = 1_000_000;
  let cpuNs = 0;
  const advance = (ms: number) => {
    now += ms;
    cpuNs += ms * coreShare * 1e6;
  };
  return {
    options: {
      minWindowMs: 500,
      maxWindowMs: 60_000,
      now: () => now,
      sleep: async (ms: number) => advance(ms),
    },
    advance,
    sample: async () => cpuNs,
    setCounter: (v: number) => {
      cpuNs = v;
    },
  };
}

describe('CPU rate from cumulative counters', () => {
  test('the first call samples twice a window apart; later calls reuse the last sample', async () => {
    const m = fakeMachine(0.5);
    const tracker = new CpuRateTracker(m.options);
    const first = await tracker.rates(['c'], m.sample);
    assert.equal(first.windowMs, 500);
    assert.equal(first.nanoCores.get('c'), 0.5e9);
    m.advance(2000);
    const second = await tracker.rates(['c'], m.sample);
    assert.equal(second.windowMs, 2000);
    assert.equal(second.nanoCores.get('c'), 0.5e9);
  });

  test('a previous sample older than maxWindowMs is not used', async () => {
    const m = fakeMachine(1);
    const tracker = new CpuRateTracker(m.options);
    await tracker.rates(['c'], m.sample);
    m.advance(120_000);
    assert.equal((await tracker.rates(['c'], m.sample)).windowMs, 500);
  });

  test('a counter that went backwards (restarted series) is sampled afresh, never negative', async () => {
    const m = fakeMachine(0.25);
    const tracker = new CpuRateTracker(m.options);
    await tracker.rates(['c'], m.sample);
    m.advance(1000);
    m.setCounter(0);
    const r = await tracker.rates(['c'], m.sample);
    assert.equal(r.windowMs, 500);
    assert.equal(r.nanoCores.get('c'), 0.25e9);
  });
});
