import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../errors.js';
import { parseLogOptions } from './log-options.js';

const NOW = new Date('2026-11-25T09:00:00Z');
const parse = (q: string) => parseLogOptions(new URLSearchParams(q), 'web', NOW);

describe('PodLogOptions from the query', () => {
  test('reads every option', () => {
    assert.deepEqual(
      parse(
        'container=app&follow=true&previous=true&timestamps=true&tailLines=5&limitBytes=10&sinceSeconds=60',
      ),
      {
        container: 'app',
        follow: true,
        previous: true,
        timestamps: true,
        tailLines: 5,
        limitBytes: 10,
        sinceMs: NOW.getTime() - 60_000,
      },
    );
    assert.equal(parse('sinceTime=2026-11-25T08:00:00Z').sinceMs, Date.parse('2026-11-25T08:00:00Z'));
    assert.deepEqual(parse(''), { container: null, follow: false, previous: false, timestamps: false });
  });

  test('malformed values are a 400 naming the parameter', () => {
    assert.throws(
      () => parse('tailLines=abc'),
      (e: unknown) => e instanceof ApiError && e.code === 400 && /^tailLines: /.test(e.message),
    );
    assert.throws(() => parse('sinceTime=yesterday'), /sinceTime: invalid value "yesterday"/);
  });

  test('out-of-range values are 422 Invalid on PodLogOptions with upstream messages', () => {
    assert.throws(
      () => parse('tailLines=-1'),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === 422 &&
        e.message ===
          'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
    assert.throws(() => parse('limitBytes=0'), /limitBytes: Invalid value: 0: must be greater than 0/);
    assert.throws(
      () => parse('sinceSeconds=5&sinceTime=2026-11-25T08:00:00Z'),
      /at most one of `sinceTime` or `sinceSeconds` may be specified/,
    );
  });
});
