import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseEntries } from './entries.js';
import { EntriesError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'warmer-entries-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function failure(text: string): { line: number; column: number; field: string; reason: string } {
  try {
    parseEntries(text, join(dir, 'entries.yaml'));
  } catch (e) {
    assert.ok(e instanceof EntriesError, String(e));
    return { line: e.line, column: e.column, field: e.field, reason: e.reason };
  }
  assert.fail('expected an EntriesError');
}

test('the seed entries as YAML: string, ttl, value from a file kept byte-exact', () => {
  writeFileSync(join(dir, 'app-config.json'), '{"a": "$(nor this)"}\n');
  const entries = parseEntries(
    [
      'entries:',
      '  - key: app:initialized',
      '    value: "true"',
      '  - key: app:config',
      '    valueFromFile: app-config.json',
      '    ttl: 3600',
      '',
    ].join('\n'),
    join(dir, 'entries.yaml'),
  );
  assert.equal(entries.length, 2);
  assert.deepEqual(entries[0], { type: 'string', key: 'app:initialized', value: Buffer.from('true') });
  assert.equal(entries[1]?.ttlMs, 3_600_000);
  assert.equal(String(entries[1]?.value), '{"a": "$(nor this)"}\n');
});

test('all types from JSON', () => {
  const entries = parseEntries(
    JSON.stringify([
      { key: 'h', type: 'hash', value: { a: 1, b: 'x' } },
      { key: 'l', type: 'list', value: ['x', 'y', 'x'] },
      { key: 's', type: 'set', value: ['x', 'y', 'x'], ttl: '1h' },
      { key: 'z', type: 'zset', value: { alice: 1, bob: 2.5 } },
      { key: 'z2', type: 'zset', value: [{ member: 'carol', score: -1 }] },
      { key: 'j', value: { nested: [1, 2] } },
    ]),
    join(dir, 'e.json'),
  );
  assert.deepEqual(entries[0]?.value, [
    ['a', Buffer.from('1')],
    ['b', Buffer.from('x')],
  ]);
  assert.equal(entries[1]?.value.length, 3);
  assert.equal(entries[2]?.value.length, 2);
  assert.equal(entries[2]?.ttlMs, 3_600_000);
  assert.deepEqual(entries[3]?.value, [
    { member: 'alice', score: 1 },
    { member: 'bob', score: 2.5 },
  ]);
  assert.deepEqual(entries[4]?.value, [{ member: 'carol', score: -1 }]);
  assert.equal(String(entries[5]?.value), '{"nested":[1,2]}');
});

test('malformed files name the line and the field', () => {
  assert.deepEqual(failure('entries:\n  - key: a\n    value: x\n  - key: b\n    value: y\n    ttl: soon\n'), {
    line: 6,
    column: 10,
    field: 'entries[1].ttl',
    reason: 'want a positive number of seconds or a duration like 1h (got "soon")',
  });
  assert.deepEqual(failure('- key: a\n  tll: 5\n  value: x\n'), {
    line: 2,
    column: 3,
    field: '[0].tll',
    reason: 'unknown field (want key, type, value, valueFromFile, ttl)',
  });
  assert.deepEqual(failure('- key: a\n'), {
    line: 1,
    column: 3,
    field: '[0]',
    reason: 'missing field `value` (or `valueFromFile`)',
  });
  assert.equal(failure('- value: a\n').reason, 'missing field `key`');
  assert.deepEqual(failure('- key: a\n  value: x\n- key: a\n  value: y\n'), {
    line: 3,
    column: 8,
    field: '[1].key',
    reason: 'duplicate key "a" (also [0])',
  });
  assert.equal(failure('- key: z\n  type: zset\n  value: {a: high}\n').field, '[0].value.a');
  assert.equal(failure('- key: t\n  type: tree\n  value: x\n').field, '[0].type');
  assert.equal(failure('- key: f\n  valueFromFile: missing.json\n').reason.startsWith('cannot read'), true);
  const syntax = failure('entries:\n  - key: "unterminated\n');
  assert.equal(syntax.field, '(syntax)');
  assert.ok(syntax.line >= 2);
  assert.deepEqual(
    failure('{"entries": [\n  {"key": "a", "value": "x"},\n  {"key": "b", "value": null}\n]}'),
    {
      line: 3,
      column: 25,
      field: 'entries[1].value',
      reason: 'want a string, number or boolean',
    },
  );
  assert.equal(failure('{"entries": [}').field, '(syntax)');
});
