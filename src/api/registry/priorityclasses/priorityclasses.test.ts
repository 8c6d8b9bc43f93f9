import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { ApiError } from '../../errors.js';
import { openTestRegistry, type TestRegistry } from '../../testing/registry.js';
import type { KubeObject } from '../../types.js';
import { aggregate } from '../../validation/field.js';
import { priorityClassTable } from './table.js';
import { validatePriorityClass, validatePriorityClassUpdate } from './validation.js';

const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass => ({
  metadata: { name },
  value,
  ...extra,
});

describe('PriorityClass validation', () => {
  test('user classes up to HighestUserDefinablePriority; the system- prefix is reserved', () => {
    assert.deepEqual(validatePriorityClass(pc('high', 1_000_000_000)), []);
    assert.equal(
      aggregate(validatePriorityClass(pc('higher', 1_000_000_001))),
      'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    );
    assert.equal(
      aggregate(validatePriorityClass(pc('system-mine', 5))),
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    );
    assert.equal(
      aggregate(validatePriorityClass(pc('system-node-critical', 5))),
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    );
    assert.deepEqual(validatePriorityClass(pc('system-cluster-critical', 2_000_000_000)), []);
    assert.equal(
      aggregate(validatePriorityClass(pc('x', 1, { preemptionPolicy: 'Sometimes' }))),
      'preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
    );
  });

  test('value and preemptionPolicy are immutable', () => {
    assert.equal(
      aggregate(validatePriorityClassUpdate(pc('x', 2), pc('x', 1))),
      'value: Forbidden: may not be changed in an update.',
    );
    assert.match(
      aggregate(
        validatePriorityClassUpdate(
          pc('x', 1, { preemptionPolicy: 'Never' }),
          pc('x', 1, { preemptionPolicy: 'PreemptLowerPriority' }),
        ),
      ),
      /^preemptionPolicy: Invalid value: "Never": field is immutable$/,
    );
  });

  test('table: Name, Value, Global-Default, Age, PreemptionPolicy', () => {
    assert.deepEqual(
      priorityClassTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Value', 'integer', 0],
        ['Global-Default', 'boolean', 0],
        ['Age', 'string', 0],
        ['PreemptionPolicy', 'string', 0],
      ],
    );
  });
});

describe('PriorityClass through the registry', () => {
  let t: TestRegistry;
  before(() => {
    t = openTestRegistry();
  });
  after(() => t.store.close());

  test('defaults preemptionPolicy, cluster-scoped, refuses a value change with 422', () => {
    const created = t.registry.create('priorityclasses', {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'high' },
      value: 1000,
    } as KubeObject) as PriorityClass & KubeObject;
    assert.equal(created.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(created.metadata.namespace, undefined);
    try {
      t.registry.update('priorityclasses', { ...created, value: 2000 });
      assert.fail('updated');
    } catch (e) {
      assert.ok(e instanceof ApiError);
      assert.equal(
        e.message,
        'PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: may not be changed in an update.',
      );
    }
  });
});
