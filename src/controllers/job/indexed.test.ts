import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JOB_COMPLETION_INDEX_ANNOTATION } from '../../api/registry/jobs/labels.js';
import {
  addCompletionIndexEnv,
  completionIndexOf,
  firstPendingIndexes,
  formatIntervals,
  hasIndex,
  indexedPodsForRemoval,
  parseIndexes,
  podGenerateNameWithIndex,
  totalIndexes,
  withIndexes,
} from './indexed.js';
import type { PodObj } from './pods.js';

function pod(name: string, index?: string, opts: { ready?: boolean; created?: string } = {}): PodObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z',
      ...(index === undefined ? {} : { annotations: { [JOB_COMPLETION_INDEX_ANNOTATION]: index } }),
    },
    spec: { containers: [] },
    status: { conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False' }] },
  };
}

const names = (pods: readonly PodObj[]) => pods.map((p) => p.metadata.name).sort();

describe('indexed job utilities', () => {
  test('completedIndexes compression: runs become a-b, a run of two is written with a comma', () => {
    const cases: [number[], string][] = [
      [[], ''],
      [[0], '0'],
      [[0, 1, 2, 4], '0-2,4'],
      [[4, 2, 0, 1], '0-2,4'],
      [[5, 6], '5,6'],
      [[0, 1, 2, 3, 7, 8, 10, 11, 12], '0-3,7,8,10-12'],
      [[3, 3, 3], '3'],
    ];
    for (const [indexes, want] of cases) assert.equal(formatIntervals(withIndexes([], indexes)), want, want);
  });

  test('parsing completedIndexes: round trip, clipping to completions, corrupt parts skipped', () => {
    assert.deepEqual(parseIndexes('0-2,4', 10), [
      { first: 0, last: 2 },
      { first: 4, last: 4 },
    ]);
    assert.equal(formatIntervals(parseIndexes('0-3,7,8,10-12', 20)), '0-3,7,8,10-12');
    assert.equal(formatIntervals(parseIndexes('1,2,3', 10)), '1-3', 'adjacent parts merge');
    assert.equal(formatIntervals(parseIndexes('0-2,4-9,12', 6)), '0-2,4,5', 'clipped, later parts dropped');
    assert.equal(formatIntervals(parseIndexes('0,x,2-y,3', 10)), '0,3');
    assert.deepEqual(parseIndexes('', 3), []);
    assert.deepEqual(parseIndexes(undefined, 3), []);
  });

  test('merging new indexes into completed intervals; total and membership', () => {
    const prev = parseIndexes('0-2,6', 10);
    const merged = withIndexes(prev, [4, 3, 7, 2]);
    assert.equal(formatIntervals(merged), '0-4,6,7');
    assert.equal(totalIndexes(merged), 7);
    assert.equal(totalIndexes(prev), 4);
    assert.ok(hasIndex(merged, 4));
    assert.ok(!hasIndex(merged, 5));
    assert.ok(!hasIndex(merged, 8));
  });

  test('completion index annotation: Atoi-like, negative or malformed is unknown', () => {
    assert.equal(completionIndexOf(pod('a', '3')), 3);
    assert.equal(completionIndexOf(pod('a', '007')), 7);
    assert.equal(completionIndexOf(pod('a', '+2')), 2);
    assert.equal(completionIndexOf(pod('a', '-1')), undefined);
    assert.equal(completionIndexOf(pod('a', 'one')), undefined);
    assert.equal(completionIndexOf(pod('a', '')), undefined);
    assert.equal(completionIndexOf(pod('a')), undefined);
  });

  test('first pending indexes skip completed and held ones, lowest first, below completions', () => {
    const completed = parseIndexes('0,3', 10);
    assert.deepEqual(firstPendingIndexes([pod('a', '1'), pod('b', 'x')], completed, 3, 6), [2, 4, 5]);
    assert.deepEqual(firstPendingIndexes([], completed, 10, 6), [1, 2, 4, 5]);
    assert.deepEqual(firstPendingIndexes([pod('a', '2')], [], 1, 3), [0]);
    assert.deepEqual(firstPendingIndexes([], [], 0, 3), []);
    assert.deepEqual(firstPendingIndexes([], parseIndexes('0-2', 3), 2, 3), []);
  });

  test('active pods with no, an out-of-range or a repeated index are picked for removal', () => {
    const { remove, left } = indexedPodsForRemoval(
      [
        pod('none'),
        pod('bad', 'x'),
        pod('high', '3'),
        pod('zero'),
        pod('one-old-ready', '1', { ready: true, created: '2026-01-01T00:00:00Z' }),
        pod('one-new', '1', { created: '2026-01-01T00:00:05Z' }),
        pod('one-old', '1', { created: '2026-01-01T00:00:01Z' }),
        pod('two', '2'),
      ],
      3,
    );
    assert.deepEqual(names(remove), ['bad', 'high', 'none', 'one-new', 'one-old', 'zero']);
    assert.deepEqual(names(left), ['one-old-ready', 'two']);
  });

  test('generateName <job>-<i>-, the Job name cut to fit 58 characters', () => {
    assert.equal(podGenerateNameWithIndex('work', 12), 'work-12-');
    const long = 'j'.repeat(60);
    const g = podGenerateNameWithIndex(long, 7);
    assert.equal(g, `${'j'.repeat(55)}-7-`);
    assert.equal(g.length, 58);
  });

  test('JOB_COMPLETION_INDEX env appended to every container unless it defines it', () => {
    const spec = {
      initContainers: [{ name: 'i', env: [{ name: 'A', value: '1' }] }],
      containers: [{ name: 'c' }, { name: 'own', env: [{ name: 'JOB_COMPLETION_INDEX', value: '9' }] }],
    };
    addCompletionIndexEnv(spec);
    const ref = {
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } },
    };
    assert.deepEqual(spec.initContainers[0]?.env, [{ name: 'A', value: '1' }, ref]);
    assert.deepEqual((spec.containers[0] as { env?: unknown }).env, [ref]);
    assert.deepEqual(spec.containers[1]?.env, [{ name: 'JOB_COMPLETION_INDEX', value: '9' }]);
  });
});
