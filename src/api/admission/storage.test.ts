import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../types.js';
import { type AdmissionTestRegistry, openAdmissionRegistry, thrownMessage } from './testing/registry.js';

describe('storage admission (DefaultStorageClass, StorageObjectInUseProtection, PersistentVolumeClaimResize)', () => {
  let t: AdmissionTestRegistry;
  beforeEach(() => {
    t = openAdmissionRegistry();
  });
  afterEach(() => t.close());

  const storageClass = (name: string, isDefault: boolean, extra: Record<string, unknown> = {}) =>
    t.registry.create('storageclasses', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name,
        ...(isDefault && { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      },
      provisioner: 'example.com/p',
      ...extra,
    } as KubeObject);
  const claim = (name: string, spec: Record<string, unknown> = {}) =>
    t.registry.create('persistentvolumeclaims', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
    }) as PersistentVolumeClaim & KubeObject;

  test('a classless claim gets the default class; "" and named classes are kept; no default: none', () => {
    assert.equal(claim('before').spec?.storageClassName, undefined);
    storageClass('slow', false);
    storageClass('standard', true);
    assert.equal(claim('a').spec?.storageClassName, 'standard');
    assert.equal(claim('b', { storageClassName: '' }).spec?.storageClassName, '');
    assert.equal(claim('c', { storageClassName: 'slow' }).spec?.storageClassName, 'slow');
  });

  test('protection finalizers on create', () => {
    assert.deepEqual(claim('a').metadata.finalizers, ['kubernetes.io/pvc-protection']);
    const pv: KubeObject = t.registry.create('persistentvolumes', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv1' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/srv/pv1' } },
    });
    assert.deepEqual(pv.metadata.finalizers, ['kubernetes.io/pv-protection']);
    assert.equal((pv.status as { phase?: string }).phase, 'Pending');
  });

  test('growing a claim needs a bound claim whose class allows expansion', () => {
    storageClass('fixed', false);
    storageClass('elastic', false, { allowVolumeExpansion: true });
    const grow = (name: string) => {
      const c = t.registry.get('persistentvolumeclaims', 'default', name) as PersistentVolumeClaim &
        KubeObject;
      return thrownMessage(() =>
        t.registry.update('persistentvolumeclaims', {
          ...c,
          spec: { ...c.spec, resources: { requests: { storage: '2Gi' } } },
        } as KubeObject),
      );
    };
    const bind = (name: string) => {
      const c = t.registry.get('persistentvolumeclaims', 'default', name) as PersistentVolumeClaim &
        KubeObject;
      t.registry.updateStatus('persistentvolumeclaims', {
        ...c,
        status: { phase: 'Bound', capacity: { storage: '1Gi' } },
      } as KubeObject);
    };
    // An unbound claim's spec is immutable: validation answers before the plugin, as upstream.
    claim('pending', { storageClassName: 'elastic' });
    assert.match(
      grow('pending'),
      /^PersistentVolumeClaim "pending" is invalid: spec: Forbidden: spec is immutable after creation/,
    );
    claim('fixed', { storageClassName: 'fixed' });
    bind('fixed');
    assert.equal(
      grow('fixed'),
      'persistentvolumeclaims "fixed" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
    claim('elastic', { storageClassName: 'elastic' });
    bind('elastic');
    const c = t.registry.get('persistentvolumeclaims', 'default', 'elastic') as PersistentVolumeClaim &
      KubeObject;
    const grown = t.registry.update('persistentvolumeclaims', {
      ...c,
      spec: { ...c.spec, resources: { requests: { storage: '2Gi' } } },
    } as KubeObject) as PersistentVolumeClaim;
    assert.equal(grown.spec?.resources?.requests?.storage, '2Gi');
  });
});
