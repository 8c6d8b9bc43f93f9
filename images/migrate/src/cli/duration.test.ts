import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DurationSyntaxError, formatGoDuration, parseDurationMs } from './duration.js';

test('formats like Go Duration.String()', () => {
  const cases: Array<[bigint, string]> = [
    [0n, '0s'],
    [999n, '999ns'],
    [1500n, '1.5µs'],
    [15_234_567n, '15.234567ms'],
    [1_000_000_000n, '1s'],
    [61_500_000_000n, '1m1.5s'],
    [3_600_000_000_000n, '1h0m0s'],
  ];
  for (const [ns, text] of cases) assert.equal(formatGoDuration(ns), text);
});

test('parses Go durations and bare seconds', () => {
  assert.equal(parseDurationMs('30'), 30_000);
  assert.equal(parseDurationMs('1m30s'), 90_000);
  assert.equal(parseDurationMs('250ms'), 250);
  assert.equal(parseDurationMs('1.5h'), 5_400_000);
  assert.throws(() => parseDurationMs('10 parsecs'), DurationSyntaxError);
  assert.throws(() => parseDurationMs(''), DurationSyntaxError);
});
