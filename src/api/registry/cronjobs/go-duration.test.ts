import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoDuration } from './go-duration.js';

test('parseGoDuration follows time.ParseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['1h30m', 5_400_000],
    ['2.5s', 2500],
    ['300ms', 300],
    ['1m0.5s', 60_500],
    ['-1m', -60_000],
    ['0', 0],
    ['', undefined],
    ['5', undefined],
    ['1d', undefined],
    ['1h 30m', undefined],
  ];
  for (const [text, want] of cases) assert.equal(parseGoDuration(text), want, text);
});
