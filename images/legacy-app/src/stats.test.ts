import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCustomStats, RequestStats } from './stats.js';

test('before any request: zero counts and a zero mean', () => {
  assert.equal(
    formatCustomStats(new RequestStats().snapshot()),
    'requests_total 0\nresponse_time 0\nerrors_total 0\n',
  );
});

test('counts every response, errors only for 5xx, and the mean response time in seconds', () => {
  const s = new RequestStats();
  s.record(200, 0.1);
  s.record(404, 0.2);
  s.record(500, 0.3);
  s.record(503, 0.4);
  assert.equal(formatCustomStats(s.snapshot()), 'requests_total 4\nresponse_time 0.25\nerrors_total 2\n');
});

test('tiny and long means print as plain decimals, never with an exponent', () => {
  const tiny = new RequestStats();
  tiny.record(200, 0.0000012);
  assert.match(formatCustomStats(tiny.snapshot()), /^response_time 0\.000001$/m);
  const sub = new RequestStats();
  sub.record(200, 0.0000001);
  assert.match(formatCustomStats(sub.snapshot()), /^response_time 0$/m);
  const third = new RequestStats();
  third.record(200, 1);
  third.record(200, 0);
  third.record(200, 0);
  assert.match(formatCustomStats(third.snapshot()), /^response_time 0\.333333$/m);
});

test('a negative or non-finite duration is refused, naming the argument', () => {
  const s = new RequestStats();
  assert.throws(() => s.record(200, -1), /seconds: want a finite value >= 0, got -1/);
  assert.throws(() => s.record(200, Number.NaN), /seconds:/);
  assert.equal(s.snapshot().requestsTotal, 0);
});
