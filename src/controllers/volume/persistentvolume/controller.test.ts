import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../api/types.js';
import { type Harness, newHarness } from '../../testing/harness.js';
import { findMatchingVolume } from './binder.js';
import { PersistentVolumeController } from './controller.js';

type PV = PersistentVolume & KubeObject;
type PVC = PersistentVolumeClaim & KubeObject;

const volume = (
  name: string,
  storage: string,
  extra: Partial<PersistentVolume['spec']> = {},
  phase = 'Available',
) =>
  ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: `/srv/${name}` },
      ...extra,
    },
    status: { phase },
  }) as PV;

const claim = (name: string, storage: string, extra: Partial<PersistentVolumeClaim['spec']> = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...extra },
    status: { phase: 'Pending' },
  }) as PVC;

describe('findMatchingVolume', () => {
  const c = claim('data', '1Gi', { storageClassName: '' });
  test('the smallest Available volume of the class that is big enough', () => {
    const vols = [
      volume('big', '10Gi'),
      volume('small', '500Mi'),
      volume('fit', '2Gi'),
      volume('fit2', '5Gi'),
    ];
    assert.equal(findMatchingVolume(c, vols, false)?.metadata.name, 'fit');
  });
  test('class, access modes, selector and phase must match', () => {
    assert.equal(
      findMatchingVolume(c, [volume('classy', '2Gi', { storageClassName: 'fast' })], false),
      undefined,
    );
    assert.equal(
      findMatchingVolume(c, [volume('rox', '2Gi', { accessModes: ['ReadOnlyMany'] })], false),
      undefined,
    );
    assert.equal(findMatchingVolume(c, [volume('released', '2Gi', {}, 'Released')], false), undefined);
    const sel = claim('data', '1Gi', { storageClassName: '', selector: { matchLabels: { tier: 'db' } } });
    assert.equal(findMatchingVolume(sel, [volume('plain', '2Gi')], false), undefined);
  });
  test('fewest access modes first; a volume pre-bound to the claim wins, even with delayed binding', () => {
    const many = volume('many', '1Gi', { accessModes: ['ReadWriteOnce', 'ReadWriteMany'] });
    assert.equal(findMatchingVolume(c, [many, volume('one', '5Gi')], false)?.metadata.name, 'one');
    const pre = volume('pre', '5Gi', { claimRef: { namespace: 'default', name: 'data' } });
    assert.equal(findMatchingVolume(c, [volume('one', '1Gi'), pre], false)?.metadata.name, 'pre');
    assert.equal(findMatchingVolume(c, [volume('one', '1Gi')], true), undefined);
    assert.equal(findMatchingVolume(c, [pre], true)?.metadata.name, 'pre');
  });
});

describe('PersistentVolumeController', () => {
  let stop = () => {};
  afterEach(() => stop());
  const start = (h: Harness) => {
    stop = h.run(new PersistentVolumeController(h.deps, { resyncPeriodMs: 0 }));
  };
  const getPV = (h: Harness, n: string) => h.client.get<PV>('persistentvolumes', '', n)!;
  const getPVC = (h: Harness, n: string) => h.client.get<PVC>('persistentvolumeclaims', 'default', n)!;

  test('static binding: both Bound, claimRef, volumeName and the annotations', async () => {
    const h = newHarness();
    start(h);
    h.client.create('persistentvolumes', volume('pv1', '2Gi'));
    const created = h.client.create('persistentvolumeclaims', claim('data', '1Gi', { storageClassName: '' }));
    await h.settle();
    const pv = getPV(h, 'pv1');
    const pvc = getPVC(h, 'data');
    assert.equal(pv.status?.phase, 'Bound');
    assert.deepEqual(
      { ...pv.spec?.claimRef, resourceVersion: undefined },
      {
        kind: 'PersistentVolumeClaim',
        namespace: 'default',
        name: 'data',
        uid: created.metadata.uid,
        apiVersion: 'v1',
        resourceVersion: undefined,
      },
    );
    assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.equal(pvc.spec?.volumeName, 'pv1');
    assert.equal(pvc.status?.phase, 'Bound');
    assert.deepEqual(pvc.status?.capacity, { storage: '2Gi' });
    assert.equal(pvc.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');

    // The claim gone: Released, and Retain keeps it.
    h.client.delete('persistentvolumeclaims', 'default', 'data');
    await h.settle();
    assert.equal(getPV(h, 'pv1').status?.phase, 'Released');
  });

  test('no volume and no class: Pending with upstream FailedBinding event', async () => {
    const h = newHarness();
    start(h);
    h.client.create('persistentvolumeclaims', claim('data', '1Gi'));
    await h.settle();
    assert.equal(getPVC(h, 'data').status?.phase, 'Pending');
    assert.deepEqual(h.events.lines('FailedBinding'), [
      'Normal FailedBinding no persistent volumes available for this claim and no storage class is set',
    ]);
    // A default class appearing later is given to the classless claim (retroactive assignment).
    h.client.create('storageclasses', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'late', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'example.com/late',
      volumeBindingMode: 'Immediate',
    } as KubeObject);
    await h.settle();
    assert.equal(getPVC(h, 'data').spec?.storageClassName, 'late');
    assert.equal(
      getPVC(h, 'data').metadata.annotations?.['volume.kubernetes.io/storage-provisioner'],
      'example.com/late',
    );
  });

  test('WaitForFirstConsumer waits; the selected node hands the claim to its provisioner', async () => {
    const h = newHarness();
    start(h);
    h.client.create('storageclasses', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard' },
      provisioner: 'podbay.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
    } as KubeObject);
    h.client.create('persistentvolumeclaims', claim('data', '1Gi', { storageClassName: 'standard' }));
    await h.settle();
    assert.deepEqual(h.events.lines('WaitForFirstConsumer'), [
      'Normal WaitForFirstConsumer waiting for first consumer to be created before binding',
    ]);
    assert.equal(
      getPVC(h, 'data').metadata.annotations?.['volume.kubernetes.io/storage-provisioner'],
      undefined,
    );
    const pvc = getPVC(h, 'data');
    h.client.update('persistentvolumeclaims', {
      ...pvc,
      metadata: { ...pvc.metadata, annotations: { 'volume.kubernetes.io/selected-node': 'node1' } },
    });
    await h.settle();
    assert.equal(
      getPVC(h, 'data').metadata.annotations?.['volume.kubernetes.io/storage-provisioner'],
      'podbay.io/local-path',
    );
    // Repeated at each sync while the claim waits (the recorder aggregates them, as upstream's).
    assert.deepEqual(
      [...new Set(h.events.lines('ExternalProvisioning'))],
      [
        "Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'podbay.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      ],
    );
  });

  test("reclaim Delete: a provisioner's volume is left to it; a static one fails as upstream", async () => {
    const h = newHarness();
    start(h);
    const ref = { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'gone', uid: 'uid-gone' };
    h.client.create(
      'persistentvolumes',
      volume('prov', '1Gi', { persistentVolumeReclaimPolicy: 'Delete', claimRef: ref }, 'Bound'),
    );
    const stat = volume('stat', '1Gi', { persistentVolumeReclaimPolicy: 'Delete', claimRef: ref }, 'Bound');
    const prov = getPV(h, 'prov');
    h.client.update('persistentvolumes', {
      ...prov,
      metadata: {
        ...prov.metadata,
        annotations: { 'pv.kubernetes.io/provisioned-by': 'podbay.io/local-path' },
      },
    });
    h.client.create('persistentvolumes', stat);
    await h.settle();
    assert.equal(getPV(h, 'prov').status?.phase, 'Released');
    assert.equal(getPV(h, 'stat').status?.phase, 'Failed');
    assert.deepEqual(h.events.lines('VolumeFailedDelete'), [
      'Warning VolumeFailedDelete error getting deleter volume plugin for volume "stat": no deletable volume plugin matched',
    ]);
  });
});
