import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { Scheduler } from '../../scheduler/scheduler.js';
import { newHarness } from '../testing/harness.js';
import { NodeLifecycleController } from './controller.js';

type NodeObj = Node & KubeObject;

describe('NodeLifecycleController (NoSchedule tainting) with the scheduler', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('cordon adds node.kubernetes.io/unschedulable:NoSchedule and new pods stay Pending; uncordon schedules them', async () => {
    const h = newHarness();
    h.client.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node1' },
      spec: { taints: [{ key: 'example.com/mine', value: 'x', effect: 'PreferNoSchedule' }] },
      status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
    });
    stop = h.run(
      new NodeLifecycleController(h.deps, { resyncPeriodMs: 0 }),
      new Scheduler(h.deps, { resyncPeriodMs: 0 }),
    );
    const node = () => h.client.get<NodeObj>('nodes', '', 'node1')!;
    h.client.update('nodes', { ...node(), spec: { ...node().spec, unschedulable: true } });
    await h.settle();
    assert.deepEqual(node().spec?.taints, [
      { key: 'example.com/mine', value: 'x', effect: 'PreferNoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ]);
    h.client.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await h.settle();
    const pending = h.client.get<Pod & KubeObject>('pods', 'default', 'web')!;
    assert.equal(pending.spec?.nodeName, undefined);
    assert.deepEqual(h.events.lines('FailedScheduling'), [
      'Warning FailedScheduling 0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    ]);
    const spec = { ...node().spec };
    delete spec.unschedulable;
    h.client.update('nodes', { ...node(), spec });
    await h.settle();
    assert.deepEqual(node().spec?.taints, [
      { key: 'example.com/mine', value: 'x', effect: 'PreferNoSchedule' },
    ]);
    assert.equal(h.client.get<Pod & KubeObject>('pods', 'default', 'web')!.spec?.nodeName, 'node1');
  });
});
