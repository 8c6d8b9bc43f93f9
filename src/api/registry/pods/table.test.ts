import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ago,
  condition,
  containers,
  cs,
  MIN,
  NOW,
  pod,
  running,
  waiting,
} from '../printers/testing/pod-fixtures.js';
import { podTable } from './table.js';

describe('podTable', () => {
  test('columns as kube-apiserver 1.32 sends them', () => {
    assert.deepEqual(
      podTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Ready', 'string', '', 0],
        ['Status', 'string', '', 0],
        ['Restarts', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['IP', 'string', '', 1],
        ['Node', 'string', '', 1],
        ['Nominated Node', 'string', '', 1],
        ['Readiness Gates', 'string', '', 1],
      ],
    );
    assert.equal(
      podTable.columns[1]!.description,
      'The aggregate readiness state of this pod for accepting traffic.',
    );
    assert.match(podTable.columns[5]!.description, /^podIP address allocated to the pod\./);
  });

  // printers_test.go TestPrintPodwide, with our fixed creation time instead of <unknown>.
  test('wide cells: IP, node, nominated node, readiness gates', () => {
    const p = pod({
      name: 'test1',
      containers: containers(2),
      phase: 'podPhase',
      conditions: [condition('condition1', 'False'), condition('condition2', 'True')],
      statuses: [cs(running(), { ready: true, restarts: 3 }), cs(undefined, { restarts: 3 })],
    });
    p.spec!.nodeName = 'test1';
    p.spec!.readinessGates = [
      { conditionType: 'condition1' },
      { conditionType: 'condition2' },
      { conditionType: 'condition3' },
    ];
    p.status!.podIPs = [{ ip: '1.1.1.1' }, { ip: '2001:db8::' }];
    p.status!.nominatedNodeName = 'node1';
    assert.deepEqual(podTable.row(p, NOW), [
      'test1',
      '1/2',
      'podPhase',
      '6',
      '3m',
      '1.1.1.1',
      'test1',
      'node1',
      '1/3',
    ]);
  });

  test('unset wide cells read <none>', () => {
    const p = pod({
      name: 'test2',
      containers: containers(2),
      phase: 'podPhase',
      statuses: [
        cs(running(), { ready: true, restarts: 3 }),
        cs(waiting('ContainerWaitingReason'), { restarts: 3 }),
      ],
    });
    assert.deepEqual(podTable.row(p, NOW), [
      'test2',
      '1/2',
      'ContainerWaitingReason',
      '6',
      '3m',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  test('the sidecar pattern of the seed, as kubectl shows it', () => {
    const p = pod({
      name: 'sidecar-pod',
      containers: containers(['app', 'log-shipper']),
      phase: 'Running',
      conditions: [condition('Initialized', 'True'), condition('Ready', 'True')],
      statuses: [
        cs(running(), { ready: true }),
        cs(running(), { ready: true, restarts: 2, lastFinishedAgo: 5 * MIN }),
      ],
    });
    const created = { ...p, metadata: { ...p.metadata, creationTimestamp: ago(1000) } };
    p.spec!.nodeName = 'node1';
    p.status!.podIP = '10.244.0.10';
    assert.deepEqual(podTable.row(created, NOW), [
      'sidecar-pod',
      '2/2',
      'Running',
      '2 (5m ago)',
      '1s',
      '10.244.0.10',
      'node1',
      '<none>',
      '<none>',
    ]);
  });

  test('status.podIP is authoritative over podIPs, as the v1 conversion makes it', () => {
    const p = pod({ phase: 'Running' });
    p.status!.podIP = '10.0.0.2';
    p.status!.podIPs = [{ ip: '10.0.0.9' }];
    assert.equal(podTable.row(p, NOW)[5], '10.0.0.2');
    delete p.status!.podIP;
    assert.equal(podTable.row(p, NOW)[5], '10.0.0.9');
  });
});
