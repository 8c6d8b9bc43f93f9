import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types.js';
import { type Harness, newHarness } from '../controllers/testing/harness.js';
import { Scheduler } from './scheduler.js';

type PodObj = Pod & KubeObject;
type PVC = PersistentVolumeClaim & KubeObject;

const NOT_HELPFUL = 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';

function setup(h: Harness) {
  h.client.create('nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node1', labels: { 'kubernetes.io/hostname': 'node1' } },
    status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
  } as KubeObject);
  h.client.create('storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard' },
    provisioner: 'podbay.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
  } as KubeObject);
}

const claim = (h: Harness, name: string, storageClassName: string) =>
  h.client.create('persistentvolumeclaims', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName },
    status: { phase: 'Pending' },
  } as KubeObject) as PVC;

const podUsing = (h: Harness, name: string, claimName: string) =>
  h.client.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'busybox' }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
  } as KubeObject);

const get = (h: Harness, name: string) => h.client.get<PodObj>('pods', 'default', name)!;

describe('Scheduler: VolumeBinding', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('a missing claim, then an unbound immediate claim: Pending with upstream messages', async () => {
    const h = newHarness();
    setup(h);
    stop = h.run(new Scheduler(h.deps, { resyncPeriodMs: 0 }));
    podUsing(h, 'web', 'data');
    await h.settle();
    assert.equal(get(h, 'web').spec?.nodeName, undefined);
    assert.deepEqual(h.events.lines('FailedScheduling'), [
      `Warning FailedScheduling 0/1 nodes are available: persistentvolumeclaim "data" not found. ${NOT_HELPFUL}`,
    ]);
    claim(h, 'data', '');
    await h.settle();
    assert.equal(
      get(h, 'web').status?.conditions?.find((c) => c.type === 'PodScheduled')?.message,
      `0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${NOT_HELPFUL}`,
    );
    // Bound by the PV controller: the pod is scheduled.
    const pvc = h.client.get<PVC>('persistentvolumeclaims', 'default', 'data')!;
    h.client.update('persistentvolumeclaims', {
      ...pvc,
      metadata: { ...pvc.metadata, annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } },
      spec: { ...pvc.spec, volumeName: 'pv1' },
    });
    await h.settle();
    assert.equal(get(h, 'web').spec?.nodeName, 'node1');
  });

  test('WaitForFirstConsumer: the claim gets the selected node and the pod waits for its binding', async () => {
    const h = newHarness();
    setup(h);
    stop = h.run(new Scheduler(h.deps, { resyncPeriodMs: 0 }));
    claim(h, 'data', 'standard');
    podUsing(h, 'web', 'data');
    await h.settle();
    const pvc = h.client.get<PVC>('persistentvolumeclaims', 'default', 'data')!;
    assert.equal(pvc.metadata.annotations?.['volume.kubernetes.io/selected-node'], 'node1');
    assert.equal(get(h, 'web').spec?.nodeName, undefined);
    assert.deepEqual(h.events.lines('FailedScheduling'), []);
    h.client.update('persistentvolumeclaims', {
      ...pvc,
      metadata: {
        ...pvc.metadata,
        annotations: { ...pvc.metadata.annotations, 'pv.kubernetes.io/bind-completed': 'yes' },
      },
      spec: { ...pvc.spec, volumeName: 'pvc-1' },
    });
    await h.settle();
    assert.equal(get(h, 'web').spec?.nodeName, 'node1');
  });
});
