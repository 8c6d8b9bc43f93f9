import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { ago, NOW, SEC } from '../printers/testing/pod-fixtures.js';
import { daemonSetTable } from './table.js';

describe('daemonSetTable', () => {
  test('columns as printers.go daemonSetColumnDefinitions', () => {
    assert.deepEqual(
      daemonSetTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Desired', 'integer', 0],
        ['Current', 'integer', 0],
        ['Ready', 'integer', 0],
        ['Up-to-date', 'integer', 0],
        ['Available', 'integer', 0],
        ['Node Selector', 'string', 0],
        ['Age', 'string', 0],
        ['Containers', 'string', 1],
        ['Images', 'string', 1],
        ['Selector', 'string', 1],
      ],
    );
  });
  // printers_test.go TestPrintDaemonSet.
  test('counts, node selector, wide cells', () => {
    const ds: DaemonSet = {
      metadata: { name: 'test1', creationTimestamp: ago(-1.9 * SEC) },
      spec: {
        selector: { matchLabels: { foo: 'bar' } },
        template: {
          spec: {
            nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' },
            containers: [
              { name: 'fake-container1', image: 'fake-image1' },
              { name: 'fake-container2', image: 'fake-image2' },
            ],
          },
        },
      },
      status: {
        currentNumberScheduled: 2,
        desiredNumberScheduled: 3,
        numberReady: 1,
        updatedNumberScheduled: 2,
        numberAvailable: 0,
        numberMisscheduled: 0,
      },
    };
    assert.deepEqual(daemonSetTable.row(ds, NOW), [
      'test1',
      3,
      2,
      1,
      2,
      0,
      'disk=ssd,kubernetes.io/os=linux',
      '0s',
      'fake-container1,fake-container2',
      'fake-image1,fake-image2',
      'foo=bar',
    ]);
  });
  test('no node selector prints <none>; no status prints zeros', () => {
    const row = daemonSetTable.row({ metadata: { name: 'x' }, spec: { selector: {}, template: {} } }, NOW);
    assert.deepEqual(row.slice(1, 7), [0, 0, 0, 0, 0, '<none>']);
  });
});
