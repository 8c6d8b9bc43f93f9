import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { ApiError } from '../../errors.js';
import { openTestRegistry, type TestRegistry } from '../../testing/registry.js';
import type { KubeObject } from '../../types.js';
import { aggregate } from '../../validation/field.js';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { podDisruptionBudgetTable } from './table.js';
import { validatePodDisruptionBudget } from './validation.js';

const spec = (s: PodDisruptionBudget['spec']): PodDisruptionBudget => ({ metadata: { name: 'p' }, spec: s });
const errorsOf = (s: PodDisruptionBudget['spec']): string => aggregate(validatePodDisruptionBudget(spec(s)));

describe('PodDisruptionBudget validation (ValidatePodDisruptionBudgetSpec)', () => {
  test('valid budgets', () => {
    for (const s of [
      { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
      { maxUnavailable: '25%', selector: {} },
      { minAvailable: '100%' },
      { maxUnavailable: 0, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    ])
      assert.deepEqual(validatePodDisruptionBudget(spec(s)), []);
  });

  test('both bounds, negatives, bad percentages, over 100%', () => {
    assert.match(
      errorsOf({ minAvailable: 1, maxUnavailable: 1 }),
      /^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/,
    );
    assert.equal(
      errorsOf({ minAvailable: -1 }),
      'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
    );
    assert.equal(
      errorsOf({ maxUnavailable: '120%' }),
      'spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    );
    assert.match(
      errorsOf({ minAvailable: 'half' }),
      /^spec\.minAvailable: Invalid value: "half": a valid percent string must be/,
    );
  });

  test('unhealthyPodEvictionPolicy and the selector', () => {
    assert.equal(
      errorsOf({ unhealthyPodEvictionPolicy: 'Sometimes' }),
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"',
    );
    assert.match(
      errorsOf({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }),
      /^spec\.selector\.matchExpressions\[0\]\.values: Required value/,
    );
  });

  test('status counts are non-negative', () => {
    const pdb: PodDisruptionBudget = {
      ...spec({}),
      status: { disruptionsAllowed: -1, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    };
    assert.equal(
      aggregate(validatePodDisruptionBudget(pdb)),
      'status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0',
    );
  });
});

describe('PodDisruptionBudget through the registry', () => {
  let t: TestRegistry;
  before(() => {
    t = openTestRegistry();
  });
  after(() => t.store.close());

  test('create: empty status with zero counts, generation 1; a spec change bumps it, status is kept', () => {
    const created = t.registry.create('poddisruptionbudgets', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'default' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
      status: { disruptionsAllowed: 9, currentHealthy: 9, desiredHealthy: 0, expectedPods: 9 },
    } as KubeObject) as PodDisruptionBudget & KubeObject;
    assert.deepEqual(created.status, {
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
    });
    assert.equal(created.metadata.generation, 1);
    const next = structuredClone(created);
    next.spec = { ...next.spec, minAvailable: 1 };
    (next as { status: unknown }).status = {
      disruptionsAllowed: 5,
      currentHealthy: 5,
      desiredHealthy: 0,
      expectedPods: 5,
    };
    const updated = t.registry.update('poddisruptionbudgets', next);
    assert.equal(updated.metadata.generation, 2);
    assert.equal(updated.status?.disruptionsAllowed, 0);
  });

  test('invalid budgets are 422 on PodDisruptionBudget.policy', () => {
    try {
      t.registry.create('poddisruptionbudgets', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'bad', namespace: 'default' },
        spec: { maxUnavailable: '200%' },
      });
      assert.fail('created');
    } catch (e) {
      assert.ok(e instanceof ApiError);
      assert.equal(e.code, 422);
      assert.equal(
        e.message,
        'PodDisruptionBudget.policy "bad" is invalid: spec.maxUnavailable: Invalid value: "200%": must not be greater than 100%',
      );
    }
  });
});

describe('podDisruptionBudgetTable', () => {
  test('columns and cells as printers.go printPodDisruptionBudget (N/A for an unset bound)', () => {
    assert.deepEqual(
      podDisruptionBudgetTable.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Min Available', 'string'],
        ['Max Unavailable', 'string'],
        ['Allowed Disruptions', 'integer'],
        ['Age', 'string'],
      ],
    );
    const row = podDisruptionBudgetTable.row(
      {
        metadata: { name: 'web', creationTimestamp: new Date(NOW.getTime() - 65_000).toISOString() },
        spec: { minAvailable: '50%' },
        status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
      },
      NOW,
    );
    assert.deepEqual(row, ['web', '50%', 'N/A', 1, '65s']);
  });
});
