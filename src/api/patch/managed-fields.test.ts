import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeManagedFields,
  encodeManagedFields,
  managerId,
  printManager,
  rfc3339,
} from './managed-fields.js';

describe('managed fields entries', () => {
  test('identity omits time and, for Apply, the version', () => {
    assert.equal(
      managerId({ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1' }),
      '{"manager":"kubectl","operation":"Apply"}',
    );
    assert.equal(
      managerId({ manager: 'k', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status' }),
      '{"manager":"k","operation":"Update","apiVersion":"apps/v1","subresource":"status"}',
    );
  });

  test('printing as conflict messages do', () => {
    const set = decodeManagedFields([]).get('x')?.set;
    assert.equal(set, undefined);
    const entry = {
      manager: 'kubelet',
      operation: 'Update' as const,
      apiVersion: 'v1',
      subresource: 'status',
      set: undefined as never,
    };
    assert.equal(printManager(entry), '"kubelet" with subresource "status" using v1');
    assert.equal(printManager({ ...entry, operation: 'Apply', subresource: undefined }), '"kubelet"');
  });

  test('round trip, upstream order (operation, time, manager), malformed entries skipped', () => {
    const raw = [
      {
        manager: 'z',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-01-01T00:00:02Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:a': {} },
      },
      {
        manager: 'y',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-01-01T00:00:01Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:b': {} },
      },
      {
        manager: 'x',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-01-01T00:00:09Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:c': {} },
      },
      { manager: 'bad', operation: 'Nope' },
      'junk',
      { manager: 'w', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'q:': {} } },
    ];
    const encoded = encodeManagedFields(decodeManagedFields(raw));
    assert.deepEqual(
      encoded.map((e) => e.manager),
      ['x', 'y', 'z'],
    );
    assert.deepEqual(encoded[1], raw[1]);
    assert.deepEqual(encodeManagedFields(decodeManagedFields('nope')), []);
  });

  test('times are RFC 3339 at seconds precision', () => {
    assert.equal(rfc3339(new Date('2026-11-25T08:00:13.999Z')), '2026-11-25T08:00:13Z');
  });
});
