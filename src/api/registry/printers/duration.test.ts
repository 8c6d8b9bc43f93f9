import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DURATION, humanDuration } from './duration.js';

const { SECOND, MINUTE, HOUR, DAY } = DURATION;
const YEAR = 365 * DAY;

// apimachinery v0.32 pkg/util/duration/duration_test.go, TestHumanDuration and
// TestHumanDurationBoundaries (Go's 1ns steps become 1ms here: JavaScript times are in ms).
const UPSTREAM_CASES: readonly [number, string][] = [
  [SECOND, '1s'],
  [70 * SECOND, '70s'],
  [190 * SECOND, '3m10s'],
  [70 * MINUTE, '70m'],
  [47 * HOUR, '47h'],
  [49 * HOUR, '2d1h'],
  [(8 * 24 + 2) * HOUR, '8d'],
  [367 * DAY, '367d'],
  [(365 * 2 * 24 + 25) * HOUR, '2y1d'],
  [(365 * 8 * 24 + 2) * HOUR, '8y'],
  [-2 * SECOND, '<invalid>'],
  [-2 * SECOND + 1, '0s'],
  [0, '0s'],
  [SECOND - 1, '0s'],
  [2 * MINUTE - 1, '119s'],
  [2 * MINUTE, '2m'],
  [2 * MINUTE + SECOND, '2m1s'],
  [10 * MINUTE - 1, '9m59s'],
  [10 * MINUTE, '10m'],
  [10 * MINUTE + SECOND, '10m'],
  [3 * HOUR - 1, '179m'],
  [3 * HOUR, '3h'],
  [3 * HOUR + MINUTE, '3h1m'],
  [8 * HOUR - 1, '7h59m'],
  [8 * HOUR, '8h'],
  [8 * HOUR + 59 * MINUTE, '8h'],
  [2 * DAY - 1, '47h'],
  [2 * DAY, '2d'],
  [2 * DAY + HOUR, '2d1h'],
  [8 * DAY - 1, '7d23h'],
  [8 * DAY, '8d'],
  [8 * DAY + 23 * HOUR, '8d'],
  [2 * YEAR - 1, '729d'],
  [2 * YEAR, '2y'],
  [2 * YEAR + 23 * HOUR, '2y'],
  [2 * YEAR + 23 * HOUR + 59 * MINUTE, '2y'],
  [2 * YEAR + DAY - 1, '2y'],
  [2 * YEAR + DAY, '2y1d'],
  [3 * YEAR, '3y'],
  [4 * YEAR, '4y'],
  [5 * YEAR, '5y'],
  [6 * YEAR, '6y'],
  [7 * YEAR, '7y'],
  [8 * YEAR - 1, '7y364d'],
  [8 * YEAR, '8y'],
  [8 * YEAR + 364 * DAY, '8y'],
  [9 * YEAR, '9y'],
];

// Our own boundaries: the values `kubectl get` users meet most.
const OWN_CASES: readonly [number, string][] = [
  [-1 * SECOND, '0s'],
  [-1999, '0s'],
  [-2000, '<invalid>'],
  [59 * SECOND, '59s'],
  [59 * SECOND + 999, '59s'],
  [60 * SECOND, '60s'],
  [119 * MINUTE, '119m'],
  [119 * MINUTE + 59 * SECOND, '119m'],
  [5 * MINUTE, '5m'],
  [9 * MINUTE + 30 * SECOND, '9m30s'],
  [47 * HOUR + 59 * MINUTE, '47h'],
  [7 * DAY + 23 * HOUR + 59 * MINUTE, '7d23h'],
  [364 * DAY, '364d'],
  [2 * YEAR + 364 * DAY, '2y364d'],
  [10 * YEAR + 3 * DAY, '10y'],
];

describe('humanDuration', () => {
  for (const [ms, want] of UPSTREAM_CASES) {
    test(`upstream table: ${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
  for (const [ms, want] of OWN_CASES) {
    test(`${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
  test('rejects a non-finite duration, naming the value', () => {
    assert.throws(() => humanDuration(Number.NaN), { name: 'RangeError', message: /got NaN/ });
    assert.throws(() => humanDuration(Number.POSITIVE_INFINITY), RangeError);
  });
});
