import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import type { PersistentVolume } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../api/types.js';
import { newHarness } from '../../testing/harness.js';
import { LocalPathProvisioner, volumeDirOf } from './provisioner.js';

type PV = PersistentVolume & KubeObject;
const volumesDir = mkdtempSync(join(tmpdir(), 'podbay-local-path-'));
after(() => rmSync(volumesDir, { recursive: true, force: true }));

describe('podbay.io/local-path provisioner', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('provisions the selected claim as a local PV, and deletes it once Released', async () => {
    const h = newHarness();
    stop = h.run(new LocalPathProvisioner(h.deps, { volumesDir, nodeName: 'node1', resyncPeriodMs: 0 }));
    h.client.create('storageclasses', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard' },
      provisioner: 'podbay.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    } as KubeObject);
    const annotations: Record<string, string> = {
      'volume.kubernetes.io/storage-provisioner': 'podbay.io/local-path',
    };
    const claim = h.client.create('persistentvolumeclaims', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default', annotations },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
      },
    } as KubeObject);
    await h.settle();
    assert.deepEqual(h.client.list('persistentvolumes'), [], 'no node selected yet: nothing');
    h.client.update('persistentvolumeclaims', {
      ...claim,
      metadata: {
        ...claim.metadata,
        annotations: { ...annotations, 'volume.kubernetes.io/selected-node': 'node1' },
      },
    });
    await h.settle();
    const name = `pvc-${claim.metadata.uid}`;
    const pv = h.client.get<PV>('persistentvolumes', '', name)!;
    const dir = join(volumesDir, name);
    assert.ok(existsSync(dir));
    assert.deepEqual(pv.spec?.local, { path: dir });
    assert.equal(pv.spec?.claimRef?.uid, claim.metadata.uid);
    assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete');
    assert.deepEqual(pv.spec?.capacity, { storage: '1Gi' });
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions, [
      { key: 'kubernetes.io/hostname', operator: 'In', values: ['node1'] },
    ]);
    assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'podbay.io/local-path');
    assert.deepEqual(
      h.events.lines().filter((l) => l.includes('Provisioning')),
      [
        'Normal Provisioning External provisioner is provisioning volume for claim "default/data"',
        `Normal ProvisioningSucceeded Successfully provisioned volume ${name}`,
      ],
    );
    h.client.updateStatus('persistentvolumes', { ...pv, status: { phase: 'Released' } });
    await h.settle();
    assert.equal(existsSync(dir), false);
    assert.equal(h.client.get('persistentvolumes', '', name), undefined);
  });

  test('never removes a directory outside its own volumes dir', () => {
    const pv = (name: string, path: string) => ({ metadata: { name }, spec: { local: { path } } }) as PV;
    assert.equal(volumeDirOf(volumesDir, pv('pvc-1', join(volumesDir, 'pvc-1'))), join(volumesDir, 'pvc-1'));
    assert.equal(volumeDirOf(volumesDir, pv('pvc-1', '/etc')), undefined);
    assert.equal(volumeDirOf(volumesDir, pv('pvc-1', join(volumesDir, 'pvc-2'))), undefined);
    assert.equal(volumeDirOf(volumesDir, pv('pvc-1', join(volumesDir, 'pvc-1', '..', '..'))), undefined);
  });
});
