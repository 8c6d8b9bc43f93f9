import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ago, MIN, NOW } from '../printers/testing/pod-fixtures.js';
import { configMapTable } from './table.js';

describe('configMapTable', () => {
  test('columns', () => {
    assert.deepEqual(
      configMapTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Data', 'string', 0],
        ['Age', 'string', 0],
      ],
    );
    assert.match(configMapTable.columns[1]!.description, /^Data contains the configuration data\./);
  });
  test('Data counts data and binaryData keys', () => {
    const meta = { name: 'nginx-conf', creationTimestamp: ago(12 * MIN) };
    assert.deepEqual(
      configMapTable.row({ metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, NOW),
      ['nginx-conf', 3, '12m'],
    );
    assert.deepEqual(configMapTable.row({ metadata: meta }, NOW), ['nginx-conf', 0, '12m']);
  });
});
