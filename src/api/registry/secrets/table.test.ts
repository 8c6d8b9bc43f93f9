import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ago, NOW, SEC } from '../printers/testing/pod-fixtures.js';
import { secretTable } from './table.js';

describe('secretTable', () => {
  test('columns', () => {
    assert.deepEqual(
      secretTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Type', 'string', 0],
        ['Data', 'string', 0],
        ['Age', 'string', 0],
      ],
    );
    assert.match(
      secretTable.columns[1]!.description,
      /^Used to facilitate programmatic handling of secret data\./,
    );
  });
  // printers_test.go TestPrintSecret, plus stringData merged as the v1 conversion does.
  test('type, data count, age', () => {
    const meta = { name: 'secret1', creationTimestamp: ago(-1.9 * SEC) };
    const type = 'kubernetes.io/service-account-token';
    assert.deepEqual(secretTable.row({ metadata: meta, type, data: { token: 'c2VjcmV0' } }, NOW), [
      'secret1',
      type,
      1,
      '0s',
    ]);
    assert.deepEqual(secretTable.row({ metadata: meta, type }, NOW), ['secret1', type, 0, '0s']);
    assert.deepEqual(
      secretTable.row(
        { metadata: meta, type: 'Opaque', data: { a: 'YQ==' }, stringData: { a: 'x', b: 'y' } },
        NOW,
      ),
      ['secret1', 'Opaque', 2, '0s'],
    );
  });
});
