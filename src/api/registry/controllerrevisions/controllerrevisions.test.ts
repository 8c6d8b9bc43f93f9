import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import { formatFieldError } from '../../validation/field.js';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { controllerRevisionTable } from './table.js';
import { validateControllerRevision, validateControllerRevisionUpdate } from './validation.js';

const rev = (set: Partial<ControllerRevision> = {}): ControllerRevision => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name: 'agent-7d9f8', namespace: 'default' },
  data: { spec: { template: { $patch: 'replace' } } },
  revision: 1,
  ...set,
});

describe('ControllerRevision validation', () => {
  test('valid', () => assert.deepEqual(validateControllerRevision(rev()), []));
  test('data is mandatory; revision non-negative', () => {
    const r = rev({ revision: -1 });
    delete (r as { data?: unknown }).data;
    assert.deepEqual(validateControllerRevision(r).map(formatFieldError), [
      'data: Required value: data is mandatory',
      'revision: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
  test('data is immutable; revision may change', () => {
    const old = rev();
    assert.deepEqual(validateControllerRevisionUpdate(rev({ revision: 3 }), old), []);
    assert.deepEqual(
      validateControllerRevisionUpdate(rev({ data: { spec: {} } }), old).map(formatFieldError),
      ['data: Invalid value: {"spec":{}}: field is immutable'],
    );
  });
});

describe('controllerRevisionTable', () => {
  test('columns as printers.go controllerRevisionColumnDefinition', () => {
    assert.deepEqual(
      controllerRevisionTable.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Controller', 'string'],
        ['Revision', 'string'],
        ['Age', 'string'],
      ],
    );
  });
  // printers_test.go TestPrintControllerRevision.
  test('controller as kind.group/name, <none> without one', () => {
    const owned = rev({
      metadata: {
        name: 'test1',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid: 'u', controller: true },
        ],
      },
    });
    assert.deepEqual(controllerRevisionTable.row(owned, NOW).slice(0, 3), ['test1', 'daemonset.apps/foo', 1]);
    const core = rev({
      metadata: {
        name: 'test2',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }],
      },
    });
    assert.equal(controllerRevisionTable.row(core, NOW)[1], 'pod/p');
    assert.equal(controllerRevisionTable.row(rev(), NOW)[1], '<none>');
  });
});
