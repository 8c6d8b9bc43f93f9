import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ago, NOW, SEC } from '../printers/testing/pod-fixtures.js';
import { namespaceTable } from './table.js';

describe('namespaceTable', () => {
  test('columns', () => {
    assert.deepEqual(
      namespaceTable.columns.map((c) => [c.name, c.type, c.format, c.priority, c.description.slice(0, 20)]),
      [
        ['Name', 'string', 'name', 0, 'Name must be unique '],
        ['Status', 'string', '', 0, 'The status of the na'],
        ['Age', 'string', '', 0, 'CreationTimestamp is'],
      ],
    );
  });
  // printers_test.go TestPrintNamespace.
  test('status and age; both unset', () => {
    assert.deepEqual(
      namespaceTable.row(
        {
          metadata: { name: 'namespace1', creationTimestamp: ago(-1.9 * SEC) },
          status: { phase: 'FooStatus' },
        },
        NOW,
      ),
      ['namespace1', 'FooStatus', '0s'],
    );
    assert.deepEqual(namespaceTable.row({ metadata: { name: 'namespace2' } }, NOW), [
      'namespace2',
      '',
      '<unknown>',
    ]);
    assert.deepEqual(
      namespaceTable.row(
        {
          metadata: { name: 'development', creationTimestamp: ago(26 * 60 * 60 * SEC) },
          status: { phase: 'Active' },
        },
        NOW,
      ),
      ['development', 'Active', '26h'],
    );
  });
});
