import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffMessage, ContainerBackoff, goDuration } from './backoff.js';

describe('ContainerBackoff', () => {
  test('first exit restarts at once, then 10s doubling to the 5m cap', () => {
    const b = new ContainerBackoff();
    let now = 0;
    const periods: number[] = [];
    // Each round: the container exits at `now`, the kubelet retries until allowed.
    assert.equal(b.check('k', now, now).inBackoff, false, 'first exit: immediate restart');
    for (let round = 0; round < 6; round++) {
      now += 1000; // it ran for a second and crashed again
      const finishedAt = now;
      const held = b.check('k', finishedAt, now);
      assert.equal(held.inBackoff, true);
      periods.push(held.periodMs);
      assert.equal(b.remainingMs('k', finishedAt, now), held.periodMs);
      now = finishedAt + held.periodMs - 1;
      assert.equal(b.check('k', finishedAt, now).inBackoff, true, 'still held 1 ms before the period ends');
      now += 1;
      assert.equal(b.check('k', finishedAt, now).inBackoff, false);
    }
    assert.deepEqual(periods, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000]);
    // At the cap, flowcontrol's expiry (now - lastUpdate > 2 × max, lastUpdate being the previous
    // restart's finishedAt) ends the hold a little early, exactly as upstream does.
    const lastRestartFinishedAt = now - 300_000;
    now += 1000;
    const crash = now;
    assert.deepEqual(b.check('k', crash, now), { inBackoff: true, periodMs: 300_000 });
    now = lastRestartFinishedAt + 600_001;
    assert.equal(b.check('k', crash, now).inBackoff, false);
  });

  test('forgotten after ten minutes of clean running', () => {
    const b = new ContainerBackoff();
    b.check('k', 0, 0);
    b.check('k', 1000, 11_000); // second restart, period now 20s, lastUpdate 1000
    const exitAfter = 1000 + 600_001;
    assert.equal(b.check('k', exitAfter, exitAfter).inBackoff, false);
    const exitSoonAfter = 1000 + 600_000;
    const b2 = new ContainerBackoff();
    b2.check('k', 0, 0);
    b2.check('k', 1000, 11_000);
    assert.equal(
      b2.check('k', exitSoonAfter, exitSoonAfter).inBackoff,
      true,
      'exactly 2×max is not yet expired',
    );
  });

  test('base-period knob scales the cap', () => {
    const b = new ContainerBackoff({ baseMs: 100 });
    assert.equal(b.maxMs, 3000);
    assert.throws(() => new ContainerBackoff({ baseMs: 0 }), RangeError);
  });
});

test('goDuration and the waiting message match Go', () => {
  const table: [number, string][] = [
    [10_000, '10s'],
    [20_000, '20s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [1500, '1.5s'],
    [250, '250ms'],
  ];
  for (const [ms, want] of table) assert.equal(goDuration(ms), want);
  assert.equal(
    backoffMessage(40_000, 'app', 'web_default(u1)'),
    'back-off 40s restarting failed container=app pod=web_default(u1)',
  );
});

test('image pull back-off: ErrImagePull, then ImagePullBackOff until the period passes', () => {
  const pulls = new ContainerBackoff();
  const key = 'uid_nginx:nope';
  assert.equal(pulls.inBackoffSinceUpdate(key, 0).inBackoff, false, 'first pull is attempted');
  pulls.recordFailure(key, 0);
  assert.deepEqual(pulls.inBackoffSinceUpdate(key, 9_999), { inBackoff: true, periodMs: 10_000 });
  assert.equal(pulls.inBackoffSinceUpdate(key, 10_000).inBackoff, false);
  pulls.recordFailure(key, 10_000);
  assert.deepEqual(pulls.inBackoffSinceUpdate(key, 29_999), { inBackoff: true, periodMs: 20_000 });
});
