import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoChange } from '../errors.js';
import { type Direction, type MigrationFile, SourceIndex } from '../source/files.js';
import { type Command, NIL_VERSION, plan } from './plan.js';

function index(...versions: number[]): SourceIndex {
  const files = new Map<bigint, Partial<Record<Direction, MigrationFile>>>();
  for (const v of versions) {
    const mk = (direction: Direction): MigrationFile => ({
      version: BigInt(v),
      identifier: `m${v}`,
      direction,
      name: `${v}_m${v}.${direction}.sql`,
      path: `/x/${v}_m${v}.${direction}.sql`,
    });
    files.set(BigInt(v), { up: mk('up'), down: mk('down') });
  }
  return new SourceIndex('/x', files);
}

const src = index(1, 3, 4, 7);
const show = (current: bigint, cmd: Command) => {
  const p = plan(src, current, cmd);
  return {
    steps: p.steps.map((s) => `${s.version}->${s.targetVersion}`),
    error: p.error ? (p.error instanceof NoChange ? 'no change' : p.error.message) : undefined,
  };
};

test('up applies every pending migration, then reports no change', () => {
  assert.deepEqual(show(NIL_VERSION, { kind: 'up', limit: -1 }), {
    steps: ['1->1', '3->3', '4->4', '7->7'],
    error: undefined,
  });
  assert.deepEqual(show(7n, { kind: 'up', limit: -1 }), { steps: [], error: 'no change' });
});

test('up N and its short-limit error follow golang-migrate', () => {
  assert.deepEqual(show(1n, { kind: 'up', limit: 2 }), { steps: ['3->3', '4->4'], error: undefined });
  assert.deepEqual(show(4n, { kind: 'up', limit: 3 }), { steps: ['7->7'], error: 'limit 2 short' });
  assert.deepEqual(show(7n, { kind: 'up', limit: 1 }), { steps: [], error: 'file does not exist' });
  assert.deepEqual(show(1n, { kind: 'up', limit: 0 }), { steps: [], error: 'no change' });
});

test('down N, down all and the nil version', () => {
  assert.deepEqual(show(7n, { kind: 'down', limit: 2 }), { steps: ['7->4', '4->3'], error: undefined });
  assert.deepEqual(show(3n, { kind: 'down', limit: -1 }), { steps: ['3->1', '1->-1'], error: undefined });
  assert.deepEqual(show(3n, { kind: 'down', limit: 4 }), {
    steps: ['3->1', '1->-1'],
    error: 'limit 2 short',
  });
  assert.deepEqual(show(NIL_VERSION, { kind: 'down', limit: -1 }), { steps: [], error: 'no change' });
  assert.deepEqual(show(NIL_VERSION, { kind: 'down', limit: 1 }), {
    steps: [],
    error: 'file does not exist',
  });
});

test('goto moves either way and checks the target exists', () => {
  assert.deepEqual(show(NIL_VERSION, { kind: 'goto', version: 4n }), {
    steps: ['1->1', '3->3', '4->4'],
    error: undefined,
  });
  assert.deepEqual(show(7n, { kind: 'goto', version: 3n }), { steps: ['7->4', '4->3'], error: undefined });
  assert.deepEqual(show(4n, { kind: 'goto', version: 4n }), { steps: [], error: 'no change' });
  assert.match(show(4n, { kind: 'goto', version: 5n }).error ?? '', /^no migration found for version 5/);
});

test('a current version missing from the source is an error before anything runs', () => {
  assert.match(show(2n, { kind: 'up', limit: -1 }).error ?? '', /^no migration found for version 2/);
});
