import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { defaultLimitRange } from './defaults.js';
import { limitRangeTable } from './table.js';
import { validateLimitRange } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const lr = (...limits: LimitRangeItem[]): LimitRange => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'lr', namespace: 'default' },
  spec: { limits },
});

describe('defaultLimitRange (SetDefaults_LimitRangeItem)', () => {
  test('Container: default from max, defaultRequest from default then min; quantities canonical', () => {
    const r = lr(
      { type: 'Container', max: { cpu: '1000m', memory: '1Gi' }, min: { 'ephemeral-storage': '1Mi' } },
      { type: 'Pod', max: { cpu: '2' } },
    );
    defaultLimitRange(r);
    assert.deepEqual(r.spec!.limits[0], {
      type: 'Container',
      max: { cpu: '1', memory: '1Gi' },
      min: { 'ephemeral-storage': '1Mi' },
      default: { cpu: '1', memory: '1Gi' },
      defaultRequest: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Mi' },
    });
    assert.deepEqual(r.spec!.limits[1], { type: 'Pod', max: { cpu: '2' } });
  });
  test('an explicit defaultRequest is kept', () => {
    const r = lr({ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } });
    defaultLimitRange(r);
    assert.deepEqual(r.spec!.limits[0]!.defaultRequest, { cpu: '100m' });
  });
});

describe('validateLimitRange (ValidateLimitRange messages)', () => {
  test('valid', () => {
    const r = lr({
      type: 'Container',
      min: { cpu: '100m' },
      max: { cpu: '1' },
      maxLimitRequestRatio: { cpu: '4' },
    });
    defaultLimitRange(r);
    assert.deepEqual(validateLimitRange(r), []);
  });
  test('types: unknown, duplicate; custom qualified types are allowed', () => {
    assert.deepEqual(
      msgs(
        validateLimitRange(
          lr({ type: 'Foo' }, { type: 'Container' }, { type: 'Container' }, { type: 'example.com/x' }),
        ),
      ),
      [
        'spec.limits[0].type: Invalid value: "Foo": must be a standard limit type or fully qualified',
        'spec.limits[2].type: Duplicate value: "Container"',
      ],
    );
  });
  test('default and defaultRequest are forbidden for Pod items', () => {
    assert.deepEqual(
      msgs(validateLimitRange(lr({ type: 'Pod', default: { cpu: '1' }, defaultRequest: { cpu: '1' } }))),
      [
        "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
        "spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod'",
      ],
    );
  });
  test('min ≤ defaultRequest ≤ default ≤ max', () => {
    assert.deepEqual(
      msgs(validateLimitRange(lr({ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }))),
      ['spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1'],
    );
    assert.deepEqual(
      msgs(
        validateLimitRange(
          lr({
            type: 'Container',
            min: { memory: '1Gi' },
            default: { memory: '2Gi' },
            defaultRequest: { memory: '512Mi' },
          }),
        ),
      ),
      [
        'spec.limits[0].defaultRequest[memory]: Invalid value: "512Mi": min value 1Gi is greater than default request value 512Mi',
      ],
    );
    assert.deepEqual(
      msgs(
        validateLimitRange(
          lr({ type: 'Container', max: { cpu: '1' }, default: { cpu: '2' }, defaultRequest: { cpu: '3' } }),
        ),
      ),
      [
        'spec.limits[0].defaultRequest[cpu]: Invalid value: "3": default request value 3 is greater than max value 1',
        'spec.limits[0].defaultRequest[cpu]: Invalid value: "3": default request value 3 is greater than default limit value 2',
        'spec.limits[0].default[cpu]: Invalid value: "1": default value 2 is greater than max value 1',
      ],
    );
    assert.deepEqual(
      msgs(validateLimitRange(lr({ type: 'Container', min: { cpu: '2' }, default: { cpu: '1' } }))),
      ['spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 1'],
    );
  });
  test('maxLimitRequestRatio ≥ 1 and ≤ max/min', () => {
    assert.deepEqual(
      msgs(validateLimitRange(lr({ type: 'Container', maxLimitRequestRatio: { cpu: '500m' } }))),
      ['spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1'],
    );
    assert.deepEqual(
      msgs(
        validateLimitRange(
          lr({
            type: 'Pod',
            min: { cpu: '100m' },
            max: { cpu: '500m' },
            maxLimitRequestRatio: { cpu: '10' },
          }),
        ),
      ),
      [
        'spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "10": ratio 10 is greater than max/min = 5.000000',
      ],
    );
  });
  test('resource names per type; PVC items need storage bounds', () => {
    assert.deepEqual(msgs(validateLimitRange(lr({ type: 'Container', max: { storage: '1Gi' } }))), [
      'spec.limits[0].max[storage]: Invalid value: "storage": must be a standard resource for containers',
    ]);
    assert.deepEqual(msgs(validateLimitRange(lr({ type: 'PersistentVolumeClaim', max: { cpu: '1' } }))), [
      'spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided',
    ]);
    assert.deepEqual(validateLimitRange(lr({ type: 'PersistentVolumeClaim', max: { storage: '1Gi' } })), []);
  });
  test('hugepages may not overcommit: default must equal defaultRequest', () => {
    assert.deepEqual(
      msgs(
        validateLimitRange(
          lr({
            type: 'Container',
            default: { 'hugepages-2Mi': '4Mi' },
            defaultRequest: { 'hugepages-2Mi': '2Mi' },
          }),
        ),
      ),
      [
        'spec.limits[0].defaultRequest[hugepages-2Mi]: Invalid value: "2Mi": default value 4Mi must equal to defaultRequest value 2Mi in hugepages-2Mi',
      ],
    );
  });
});

describe('limitRangeTable (printLimitRange)', () => {
  test('Name and Created At (the timestamp itself)', () => {
    assert.deepEqual(
      limitRangeTable.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Created At', 'date'],
      ],
    );
    assert.deepEqual(
      limitRangeTable.row({ metadata: { name: 'lr', creationTimestamp: '2026-01-01T00:00:00Z' } }, NOW),
      ['lr', '2026-01-01T00:00:00Z'],
    );
  });
});
