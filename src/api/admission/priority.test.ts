import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { priority } from './priority.js';
import { type AdmissionTestRegistry, openAdmissionRegistry } from './testing/registry.js';

let t: AdmissionTestRegistry;
beforeEach(() => {
  t = openAdmissionRegistry([priority]);
});
afterEach(() => t.close());

const klass = (name: string, value: number, extra: object = {}) =>
  t.registry.create('priorityclasses', {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    ...extra,
  } as KubeObject);

const pod = (name: string, spec: object = {}) =>
  t.registry.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  }) as Pod & KubeObject;

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 403);
    return e.message;
  }
  assert.fail('admitted');
}

describe('Priority admission', () => {
  test('priorityClassName resolves to priority and preemptionPolicy', () => {
    klass('high', 1000, { preemptionPolicy: 'Never' });
    const p = pod('a', { priorityClassName: 'high' });
    assert.equal(p.spec?.priority, 1000);
    assert.equal(p.spec?.preemptionPolicy, 'Never');
  });

  test('no class and no default: priority 0, PreemptLowerPriority, no class name', () => {
    const p = pod('b');
    assert.equal(p.spec?.priority, 0);
    assert.equal(p.spec?.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(p.spec?.priorityClassName, undefined);
  });

  test('the globalDefault class (the smallest of several) names itself on pods without one', () => {
    klass('default-low', 10, { globalDefault: true });
    const p = pod('c');
    assert.equal(p.spec?.priorityClassName, 'default-low');
    assert.equal(p.spec?.priority, 10);
  });

  test('upstream refusals: unknown class, a priority of its own, a second globalDefault', () => {
    assert.equal(
      refused(() => pod('d', { priorityClassName: 'nope' })),
      'pods "d" is forbidden: no PriorityClass with name nope was found',
    );
    klass('mid', 500);
    assert.equal(
      refused(() => pod('e', { priorityClassName: 'mid', priority: 7 })),
      'pods "e" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 500 from the given PriorityClass name',
    );
    klass('first', 1, { globalDefault: true });
    assert.equal(
      refused(() => klass('second', 2, { globalDefault: true })),
      'priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass first is already marked as default. Only one default can exist',
    );
  });

  test('an update keeps the priority set at create', () => {
    klass('high', 1000);
    const p = pod('f', { priorityClassName: 'high' });
    const next = structuredClone(p);
    delete (next.spec as { priority?: number }).priority;
    next.metadata.labels = { touched: 'yes' };
    const updated = t.registry.update('pods', next) as Pod & KubeObject;
    assert.equal(updated.spec?.priority, 1000);
  });
});
