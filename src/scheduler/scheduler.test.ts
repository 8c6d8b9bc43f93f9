import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types.js';
import { type Harness, newHarness } from '../controllers/testing/harness.js';
import { podRequests } from './requests.js';
import { Scheduler } from './scheduler.js';

type PodObj = Pod & KubeObject;

function addNode(
  h: Harness,
  allocatable = { cpu: '2', memory: '4Gi', pods: '110' },
  labels: Record<string, string> = {},
) {
  return h.client.create('nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node1', labels: { 'kubernetes.io/hostname': 'node1', ...labels } },
    status: { allocatable, capacity: allocatable },
  });
}

function addPod(h: Harness, name: string, cpu?: string, extra: Partial<Pod['spec']> = {}) {
  return h.client.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'busybox', ...(cpu ? { resources: { requests: { cpu } } } : {}) }],
      ...extra,
    },
  } as KubeObject);
}

const pod = (h: Harness, name: string) => h.client.get<PodObj>('pods', 'default', name)!;

describe('Scheduler', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('binds a pod that fits, with a Scheduled event and PodScheduled=True', async () => {
    const h = newHarness();
    addNode(h);
    stop = h.run(new Scheduler(h.deps, { resyncPeriodMs: 0 }));
    addPod(h, 'web', '500m');
    await h.settle();
    const p = pod(h, 'web');
    assert.equal(p.spec?.nodeName, 'node1');
    assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
    assert.deepEqual(h.events.lines('Scheduled'), [
      'Normal Scheduled Successfully assigned default/web to node1',
    ]);
  });

  test('a pod that does not fit stays Pending with upstream message, and is bound once room frees up', async () => {
    const h = newHarness();
    addNode(h);
    stop = h.run(new Scheduler(h.deps, { resyncPeriodMs: 0 }));
    addPod(h, 'big', '1500m');
    await h.settle();
    addPod(h, 'too-big', '1');
    await h.settle();
    const p = pod(h, 'too-big');
    assert.equal(p.spec?.nodeName, undefined);
    const cond = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.deepEqual([cond?.status, cond?.reason], ['False', 'Unschedulable']);
    assert.equal(
      cond?.message,
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
    assert.equal(h.events.lines('FailedScheduling').length, 1);
    h.client.delete('pods', 'default', 'big');
    await h.settle();
    assert.equal(pod(h, 'too-big').spec?.nodeName, 'node1');
  });

  test('nodeSelector and taints are honoured', async () => {
    const h = newHarness();
    addNode(h, undefined, { disk: 'ssd' });
    stop = h.run(new Scheduler(h.deps, { resyncPeriodMs: 0 }));
    addPod(h, 'picky', undefined, { nodeSelector: { disk: 'hdd' } });
    addPod(h, 'fine', undefined, { nodeSelector: { disk: 'ssd' } });
    await h.settle();
    assert.equal(pod(h, 'fine').spec?.nodeName, 'node1');
    assert.match(
      pod(h, 'picky').status?.conditions?.[0]?.message ?? '',
      /1 node\(s\) didn't match Pod's node affinity\/selector\./,
    );
  });

  test('requests count sidecars beside app containers and init containers alone', () => {
    const p: Pod = {
      spec: {
        initContainers: [
          { name: 'init', image: 'x', resources: { requests: { cpu: '1', memory: '100Mi' } } },
          {
            name: 'side',
            image: 'x',
            restartPolicy: 'Always',
            resources: { requests: { cpu: '100m', memory: '10Mi' } },
          },
        ],
        containers: [
          { name: 'a', image: 'x', resources: { requests: { cpu: '200m' } } },
          { name: 'b', image: 'x', resources: { limits: { cpu: '300m', memory: '20Mi' } } },
        ],
      },
    };
    // app 500m + sidecar 100m = 600m < init 1000m; memory: 20Mi + 10Mi = 30Mi < init 100Mi.
    assert.deepEqual(podRequests(p), { cpu: 1000n, memory: 100n * 1024n * 1024n });
  });
});
