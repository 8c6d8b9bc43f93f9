import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { ago, MIN, NOW } from '../printers/testing/pod-fixtures.js';
import { resourceQuotaTable } from './table.js';
import { validateResourceQuota, validateResourceQuotaUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const rq = (spec: ResourceQuota['spec'], status?: ResourceQuota['status']): ResourceQuota => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'q', namespace: 'default' },
  spec,
  ...(status ? { status } : {}),
});

describe('validateResourceQuota (ValidateResourceQuota messages)', () => {
  test('valid: standard names, counts, extended requests', () => {
    assert.deepEqual(
      validateResourceQuota(
        rq({
          hard: {
            pods: '2',
            'requests.cpu': '1',
            'limits.memory': '1Gi',
            'count/deployments.apps': '3',
            'requests.example.com/gpu': '1',
            'services.nodeports': '0',
          },
        }),
      ),
      [],
    );
  });
  test('resource names and quantities', () => {
    assert.deepEqual(
      msgs(validateResourceQuota(rq({ hard: { foo: '1', storage: '1Gi', cpu: '-1', pods: '1500m' } }))),
      [
        'spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified',
        'spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota',
        'spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota',
        'spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0',
        'spec.hard[pods]: Invalid value: "1500m": must be an integer',
      ],
    );
    assert.deepEqual(msgs(validateResourceQuota(rq({}, { used: { pods: '-1' } }))), [
      'status.used[pods]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });
  test('scopes: unknown, not for the resource, conflicting', () => {
    assert.deepEqual(msgs(validateResourceQuota(rq({ hard: { pods: '1' }, scopes: ['Sometimes'] }))), [
      'spec.scopes: Invalid value: []string{"Sometimes"}: unsupported scope',
    ]);
    assert.deepEqual(
      msgs(validateResourceQuota(rq({ hard: { 'requests.cpu': '1' }, scopes: ['BestEffort'] }))),
      ['spec.scopes: Invalid value: []string{"BestEffort"}: unsupported scope applied to resource'],
    );
    assert.deepEqual(
      msgs(validateResourceQuota(rq({ hard: { pods: '1' }, scopes: ['Terminating', 'NotTerminating'] }))),
      ['spec.scopes: Invalid value: []string{"Terminating", "NotTerminating"}: conflicting scopes'],
    );
    assert.deepEqual(
      validateResourceQuota(rq({ hard: { pods: '1', 'count/configmaps': '1' }, scopes: ['BestEffort'] })),
      [],
    );
  });
  test('scopeSelector operators', () => {
    assert.deepEqual(
      msgs(
        validateResourceQuota(
          rq({
            hard: { pods: '1' },
            scopeSelector: {
              matchExpressions: [
                { scopeName: 'BestEffort', operator: 'In', values: ['x'] },
                { scopeName: 'PriorityClass', operator: 'In' },
                { scopeName: 'PriorityClass', operator: 'Exists', values: ['x'] },
                { scopeName: 'PriorityClass', operator: 'Gt' },
              ],
            },
          }),
        ),
      ),
      [
        'spec.scopeSelector.matchExpressions.operator: Invalid value: "In": must be \'Exist\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity',
        "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
        "spec.scopeSelector.matchExpressions.values: Invalid value: []string{\"x\"}: must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
        'spec.scopeSelector.matchExpressions.operator: Invalid value: "Gt": not a valid selector operator',
      ],
    );
  });
  test('update: scopes are immutable', () => {
    assert.deepEqual(
      msgs(validateResourceQuotaUpdate(rq({ scopes: ['NotTerminating'] }), rq({ scopes: ['Terminating'] }))),
      ['spec.scopes: Invalid value: []string{"NotTerminating"}: field is immutable'],
    );
    assert.deepEqual(
      validateResourceQuotaUpdate(rq({ hard: { pods: '3' } }), rq({ hard: { pods: '2' } })),
      [],
    );
  });
});

describe('resourceQuotaTable (printResourceQuota)', () => {
  test('columns; used/hard per name, limits.* in LIMIT, uncounted as 0', () => {
    assert.deepEqual(
      resourceQuotaTable.columns.map((c) => c.name),
      ['Name', 'Age', 'Request', 'Limit'],
    );
    const q = rq(
      { hard: { pods: '2', 'requests.cpu': '1', 'limits.memory': '1Gi', 'limits.cpu': '2' } },
      {
        hard: { pods: '2', 'requests.cpu': '1', 'limits.memory': '1Gi', 'limits.cpu': '2' },
        used: { pods: '1', 'requests.cpu': '500m', 'limits.memory': '256Mi' },
      },
    );
    q.metadata = { ...q.metadata, creationTimestamp: ago(5 * MIN) };
    assert.deepEqual(resourceQuotaTable.row(q, NOW), [
      'q',
      '5m',
      'pods: 1/2, requests.cpu: 500m/1',
      'limits.cpu: 0/2, limits.memory: 256Mi/1Gi',
    ]);
  });
});
