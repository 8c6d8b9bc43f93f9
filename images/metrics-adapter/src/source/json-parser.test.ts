import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJsonStats } from './json-parser.js';

describe('parseJsonStats', () => {
  test('flattens nested objects and arrays with _', () => {
    const parsed = parseJsonStats(
      '{"requests_total":5,"db":{"pool":{"active":3,"ok":true}},"workers":[{"busy":1}],"state":"OK","gone":null}',
    );
    assert.deepEqual(
      parsed.samples.map((s) => [s.name, s.value]),
      [
        ['requests_total', 5],
        ['db_pool_active', 3],
        ['db_pool_ok', true],
        ['workers_0_busy', 1],
        ['state', 'OK'],
      ],
    );
    assert.deepEqual(Object.fromEntries(parsed.unparsed), { null_value: 1 });
  });
  test('rejects non-object tops, invalid JSON and excessive depth as fatal', () => {
    assert.match(parseJsonStats('[1,2]').fatal ?? '', /object at the top level/);
    assert.match(parseJsonStats('{"a":').fatal ?? '', /invalid JSON/);
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    assert.match(parseJsonStats(deep).fatal ?? '', /nested deeper/);
  });
});
