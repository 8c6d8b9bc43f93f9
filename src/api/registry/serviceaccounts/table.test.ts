import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ago, NOW, SEC } from '../printers/testing/pod-fixtures.js';
import { serviceAccountTable } from './table.js';

describe('serviceAccountTable', () => {
  test('columns', () => {
    assert.deepEqual(
      serviceAccountTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Secrets', 'string', 0],
        ['Age', 'string', 0],
      ],
    );
    assert.match(serviceAccountTable.columns[1]!.description, /deprecated since v1\.32/);
  });
  // printers_test.go TestPrintServiceAccount.
  test('Secrets counts secret references', () => {
    const meta = { name: 'sa1', creationTimestamp: ago(-1.9 * SEC) };
    assert.deepEqual(serviceAccountTable.row({ metadata: meta, secrets: [] }, NOW), ['sa1', 0, '0s']);
    assert.deepEqual(
      serviceAccountTable.row({ metadata: meta, secrets: [{ name: 'Secret1' }, { name: 'Secret2' }] }, NOW),
      ['sa1', 2, '0s'],
    );
    assert.deepEqual(serviceAccountTable.row({ metadata: { name: 'default' } }, NOW), [
      'default',
      0,
      '<unknown>',
    ]);
  });
});
