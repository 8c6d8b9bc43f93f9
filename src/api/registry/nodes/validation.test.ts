import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { defaultNode } from './defaults.js';
import { validateNode, validateNodeUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

describe('Node', () => {
  test('allocatable defaults to capacity, quantities canonical', () => {
    const node: Node = {
      metadata: { name: 'podbay' },
      status: { capacity: { cpu: '2', memory: '8048576Ki', pods: '110' } },
    };
    defaultNode(node);
    assert.deepEqual(node.status!.allocatable, { cpu: '2', memory: '8048576Ki', pods: '110' });
    const n2: Node = {
      metadata: { name: 'x' },
      status: { capacity: { memory: '1048576Ki' }, allocatable: { memory: '1024Mi' } },
    };
    defaultNode(n2);
    assert.deepEqual(n2.status, { capacity: { memory: '1Gi' }, allocatable: { memory: '1Gi' } });
  });
  test('taints', () => {
    const node: Node = {
      metadata: { name: 'podbay' },
      spec: {
        taints: [
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
          { key: 'dedicated', value: 'other', effect: 'NoSchedule' },
          { key: 'x', effect: 'Sometimes' },
        ],
      },
    };
    assert.deepEqual(msgs(validateNode(node)), [
      'metadata.taints[1]: Duplicate value: {"key":"dedicated","value":"other","effect":"NoSchedule"}: taints must be unique by key and effect pair',
      'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
  test('podCIDRs may not change once set', () => {
    const old: Node = {
      metadata: { name: 'n', resourceVersion: '1' },
      spec: { podCIDRs: ['10.244.0.0/24'] },
    };
    assert.deepEqual(msgs(validateNodeUpdate({ ...old, spec: { podCIDRs: ['10.244.1.0/24'] } }, old)), [
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    ]);
  });
});
