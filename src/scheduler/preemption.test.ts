import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KubeObject } from '../api/types.js';
import { DEFAULT_RESOURCES, FakeClient } from '../controllers/testing/fake-client.js';
import { FakeEventRecorder } from '../controllers/testing/fake-events.js';
import { ManualClock } from '../controllers/testing/harness.js';
import { settle } from '../controllers/testing/settle.js';
import { preempt } from './preemption.js';
import { Scheduler } from './scheduler.js';

type PodObj = Pod & KubeObject;

const NODE: Node = {
  metadata: { name: 'node1' },
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
};

const p = (name: string, cpu: string, priority: number, extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, namespace: 'default', labels: { app: name.replace(/\d+$/, '') } },
  spec: {
    containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }],
    priority,
    nodeName: 'node1',
  },
  ...extra,
});

describe('preempt (selectVictimsOnNode for one node)', () => {
  test('the fewest lowest-priority pods go; equal or higher priority pods never do', () => {
    const on = [p('low1', '500m', 1), p('low2', '500m', 1), p('mid1', '500m', 5), p('same1', '500m', 10)];
    const r = preempt(p('high', '1', 10), NODE, on, ['Insufficient cpu'], []);
    assert.ok('victims' in r);
    assert.deepEqual(
      r.victims.map((v) => v.metadata?.name),
      ['low1', 'low2'],
    );
  });

  test('PDB-protected victims are reprieved first when others suffice', () => {
    const on = [p('guarded1', '1', 1), p('free1', '1', 1)];
    const pdb: PodDisruptionBudget = {
      metadata: { name: 'g', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'guarded' } } },
      status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
    };
    const r = preempt(p('high', '1', 10), NODE, on, ['Insufficient cpu'], [pdb]);
    assert.ok('victims' in r);
    assert.deepEqual(
      r.victims.map((v) => v.metadata?.name),
      ['free1'],
    );
  });

  test('messages: Never, no victims, not helpful, still not fitting', () => {
    const on = [p('low1', '1500m', 1)];
    assert.deepEqual(
      preempt(
        p('high', '1', 10, { spec: { ...p('x', '1', 10).spec!, preemptionPolicy: 'Never' } }),
        NODE,
        on,
        ['Insufficient cpu'],
        [],
      ),
      {
        message: 'preemption: not eligible due to preemptionPolicy=Never.',
      },
    );
    assert.deepEqual(preempt(p('zero', '1', 0), NODE, on, ['Insufficient cpu'], []), {
      message: 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    });
    assert.deepEqual(preempt(p('high', '1', 10), NODE, on, ['node(s) were unschedulable'], []), {
      message: 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    });
    assert.deepEqual(preempt(p('huge', '3', 10), NODE, on, ['Insufficient cpu'], []), {
      message: 'preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    });
  });
});

describe('Scheduler preemption', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('a high-priority pod preempts a low one: DisruptionTarget, Preempted event, nominated, then bound', async () => {
    const clock = new ManualClock();
    const client = new FakeClient({ clock, resources: DEFAULT_RESOURCES });
    const events = new FakeEventRecorder();
    const deps = { client, events, clock, log: () => {} };
    client.create('nodes', { apiVersion: 'v1', kind: 'Node', ...structuredClone(NODE) } as KubeObject);
    const scheduler = new Scheduler(deps, { resyncPeriodMs: 0 });
    scheduler.start();
    stop = () => scheduler.stop();
    const create = (name: string, cpu: string, priority: number) => {
      const pod = p(name, cpu, priority);
      delete pod.spec!.nodeName;
      return client.create<PodObj>('pods', { apiVersion: 'v1', kind: 'Pod', ...pod } as PodObj);
    };
    create('low', '1500m', 1);
    await settle(client, [scheduler]);
    // Kubernetes keeps the victim until its grace period ends: a finalizer plays that part here.
    const low = client.get<PodObj>('pods', 'default', 'low')!;
    client.update('pods', { ...low, metadata: { ...low.metadata, finalizers: ['example.com/hold'] } });
    const high = create('high', '1', 10);
    await settle(client, [scheduler]);
    const victim = client.get<PodObj>('pods', 'default', 'low')!;
    assert.ok(victim.metadata.deletionTimestamp, 'the victim is being deleted');
    const cond = victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual(
      [cond?.status, cond?.reason, cond?.message],
      ['True', 'PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod'],
    );
    assert.deepEqual(events.lines('Preempted'), [
      `Normal Preempted Preempted by pod ${high.metadata.uid} on node node1`,
    ]);
    const waiting = client.get<PodObj>('pods', 'default', 'high')!;
    assert.equal(waiting.status?.nominatedNodeName, 'node1');
    assert.equal(waiting.spec?.nodeName, undefined);
    // Preemption itself reports the filter failure alone; while the victim terminates the pod waits.
    assert.deepEqual(events.lines('FailedScheduling'), [
      'Warning FailedScheduling 0/1 nodes are available: 1 Insufficient cpu.',
      'Warning FailedScheduling 0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.',
    ]);
    // The victim's replacement (as its ReplicaSet would make) must not take the room preemption frees.
    create('a-replacement', '1500m', 1);
    await settle(client, [scheduler]);
    // The victim goes: the preemptor is bound, the replacement stays Pending.
    client.update('pods', { ...victim, metadata: { ...victim.metadata, finalizers: [] } });
    await settle(client, [scheduler]);
    assert.equal(client.get<PodObj>('pods', 'default', 'high')!.spec?.nodeName, 'node1');
    assert.equal(client.get<PodObj>('pods', 'default', 'a-replacement')!.spec?.nodeName, undefined);
  });

  test('freed room goes to the higher-priority pending pod first (PrioritySort), whatever the names', async () => {
    const clock = new ManualClock();
    const client = new FakeClient({ clock, resources: DEFAULT_RESOURCES });
    const deps = { client, events: new FakeEventRecorder(), clock, log: () => {} };
    client.create('nodes', { apiVersion: 'v1', kind: 'Node', ...structuredClone(NODE) } as KubeObject);
    const scheduler = new Scheduler(deps, { resyncPeriodMs: 0 });
    scheduler.start();
    stop = () => scheduler.stop();
    const create = (name: string, cpu: string, priority: number) => {
      const pod = p(name, cpu, priority);
      delete pod.spec!.nodeName;
      pod.spec!.preemptionPolicy = 'Never';
      return client.create<PodObj>('pods', { apiVersion: 'v1', kind: 'Pod', ...pod } as PodObj);
    };
    create('blocker', '2', 0);
    await settle(client, [scheduler]);
    create('a-low', '1500m', 0);
    create('b-high', '1500m', 5);
    await settle(client, [scheduler]);
    client.delete('pods', 'default', 'blocker');
    await settle(client, [scheduler]);
    assert.equal(client.get<PodObj>('pods', 'default', 'b-high')!.spec?.nodeName, 'node1');
    assert.equal(client.get<PodObj>('pods', 'default', 'a-low')!.spec?.nodeName, undefined);
  });
});
