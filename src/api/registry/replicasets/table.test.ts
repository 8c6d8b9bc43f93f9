import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { ago, MIN, NOW, SEC } from '../printers/testing/pod-fixtures.js';
import { replicaSetTable } from './table.js';

const replicaSet = (): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'test1', creationTimestamp: ago(-1.9 * SEC) },
  spec: {
    replicas: 5,
    selector: { matchLabels: { foo: 'bar' } },
    template: {
      spec: {
        containers: [
          { name: 'fake-container1', image: 'fake-image1' },
          { name: 'fake-container2', image: 'fake-image2' },
        ],
      },
    },
  },
  status: { replicas: 5, readyReplicas: 2 },
});

describe('replicaSetTable', () => {
  test('columns', () => {
    assert.deepEqual(
      replicaSetTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Desired', 'integer', 0],
        ['Current', 'integer', 0],
        ['Ready', 'integer', 0],
        ['Age', 'string', 0],
        ['Containers', 'string', 1],
        ['Images', 'string', 1],
        ['Selector', 'string', 1],
      ],
    );
    assert.equal(
      replicaSetTable.columns[3]!.description,
      'The number of ready replicas for this replica set.',
    );
  });

  // printers_test.go TestPrintReplicaSet.
  test('desired, current, ready; wide containers, images, selector', () => {
    assert.deepEqual(replicaSetTable.row(replicaSet(), NOW), [
      'test1',
      5,
      5,
      2,
      '0s',
      'fake-container1,fake-container2',
      'fake-image1,fake-image2',
      'foo=bar',
    ]);
  });

  test('scaled to zero, selector placeholders', () => {
    const base = replicaSet();
    const rs: ReplicaSet = {
      ...base,
      metadata: { name: 'test1', creationTimestamp: ago(42 * MIN) },
      status: { replicas: 0 },
    };
    rs.spec!.replicas = 0;
    rs.spec!.selector = {};
    assert.deepEqual(replicaSetTable.row(rs, NOW).slice(0, 5), ['test1', 0, 0, 0, '42m']);
    assert.equal(replicaSetTable.row(rs, NOW)[7], '<none>');
    rs.spec!.selector = { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] };
    assert.equal(replicaSetTable.row(rs, NOW)[7], '<error>');
  });
});
