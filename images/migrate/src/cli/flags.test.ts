import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlagError, parseFlags } from './flags.js';

const spec = { path: 'string', verbose: 'bool', 'lock-timeout': 'uint', 'wait-for-db': 'duration' } as const;

test('Go flag syntax: -x v, -x=v, --x, bools, stop at the command', () => {
  const r = parseFlags(
    ['-path', '/m', '--verbose', '-lock-timeout=3', '-wait-for-db', '1m', 'up', '-x'],
    spec,
  );
  assert.deepEqual(r.values, { path: '/m', verbose: true, 'lock-timeout': 3, 'wait-for-db': 60_000 });
  assert.deepEqual(r.rest, ['up', '-x']);
  assert.deepEqual(parseFlags(['-verbose=false', '--', '-path'], spec), {
    values: { verbose: false },
    rest: ['-path'],
  });
});

test('errors carry Go exit statuses', () => {
  const code = (args: string[]) => {
    try {
      parseFlags(args, spec);
      return -1;
    } catch (e) {
      assert.ok(e instanceof FlagError);
      return e.exitCode;
    }
  };
  assert.equal(code(['-nope']), 2);
  assert.equal(code(['-path']), 2);
  assert.equal(code(['-lock-timeout', 'ten']), 2);
  assert.equal(code(['-h']), 0);
});
