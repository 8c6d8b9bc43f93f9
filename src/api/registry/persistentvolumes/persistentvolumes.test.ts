import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { defaultPersistentVolumeClaim } from '../persistentvolumeclaims/defaults.js';
import { persistentVolumeClaimTable } from '../persistentvolumeclaims/table.js';
import {
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimUpdate,
} from '../persistentvolumeclaims/validation.js';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { defaultStorageClass } from '../storageclasses/defaults.js';
import { storageClassTable } from '../storageclasses/table.js';
import { validateStorageClass, validateStorageClassUpdate } from '../storageclasses/validation.js';
import { defaultPersistentVolume } from './defaults.js';
import { persistentVolumeTable } from './table.js';
import { validatePersistentVolume, validatePersistentVolumeUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

function pv(patch: (p: PersistentVolume) => void = () => {}): PersistentVolume {
  const p: PersistentVolume = {
    metadata: { name: 'pv1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/srv/pv1' } },
  };
  patch(p);
  defaultPersistentVolume(p);
  return p;
}

function pvc(patch: (p: PersistentVolumeClaim) => void = () => {}): PersistentVolumeClaim {
  const p: PersistentVolumeClaim = {
    metadata: { name: 'data', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
  patch(p);
  defaultPersistentVolumeClaim(p);
  return p;
}

describe('PersistentVolume', () => {
  test('defaults: Retain, Filesystem, Pending', () => {
    const p = pv();
    assert.equal(p.spec?.persistentVolumeReclaimPolicy, 'Retain');
    assert.equal(p.spec?.volumeMode, 'Filesystem');
    assert.equal(p.status?.phase, 'Pending');
    assert.deepEqual(validatePersistentVolume(p), []);
  });

  test('validation messages and paths, as upstream', () => {
    assert.deepEqual(
      msgs(
        validatePersistentVolume(
          pv((p) => {
            p.spec = {
              accessModes: ['ReadWriteOncePod', 'ReadWriteOnce', 'Sometimes'],
              capacity: { storage: '0' },
            };
          }),
        ),
      ),
      [
        'spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
        'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
        'spec: Required value: must specify a volume type',
      ],
    );
    assert.deepEqual(
      msgs(
        validatePersistentVolume(
          pv((p) => {
            p.spec!.local = { path: '/srv/x' };
            p.spec!.persistentVolumeReclaimPolicy = 'Sometimes';
          }),
        ),
      ),
      [
        'spec.persistentVolumeReclaimPolicy: Unsupported value: "Sometimes": supported values: "Delete", "Recycle", "Retain"',
        'spec.local: Forbidden: may not specify more than 1 volume type',
      ],
    );
    assert.deepEqual(
      msgs(
        validatePersistentVolume(
          pv((p) => {
            delete p.spec!.hostPath;
            p.spec!.local = { path: '/srv/x' };
          }),
        ),
      ),
      ['spec.nodeAffinity: Required value: Local volume requires node affinity'],
    );
    assert.deepEqual(msgs(validatePersistentVolume(pv((p) => (p.spec!.accessModes = [])))), [
      'spec.accessModes: Required value',
    ]);
  });

  test('update: the volume source and volumeMode are immutable', () => {
    const old = pv();
    const moved = pv((p) => (p.spec!.hostPath = { path: '/srv/other' }));
    assert.match(
      msgs(validatePersistentVolumeUpdate(moved, old))[0]!,
      /^spec\.persistentvolumesource: Forbidden: spec\.persistentvolumesource is immutable after creation\n/,
    );
    assert.deepEqual(
      msgs(
        validatePersistentVolumeUpdate(
          pv((p) => (p.spec!.capacity = { storage: '2Gi' })),
          old,
        ),
      ),
      [],
    );
  });

  test('kubectl get pv row', () => {
    const p = pv((x) => {
      x.spec!.claimRef = { namespace: 'default', name: 'data' };
      x.spec!.storageClassName = 'standard';
      x.spec!.accessModes = ['ReadWriteMany', 'ReadWriteOnce'];
      Object.assign(x, { status: { phase: 'Bound' } });
    });
    assert.deepEqual(
      persistentVolumeTable.columns.map((c) => c.name),
      [
        'Name',
        'Capacity',
        'Access Modes',
        'Reclaim Policy',
        'Status',
        'Claim',
        'StorageClass',
        'VolumeAttributesClass',
        'Reason',
        'Age',
        'VolumeMode',
      ],
    );
    assert.deepEqual(persistentVolumeTable.row(p, NOW).slice(0, 9), [
      'pv1',
      '1Gi',
      'RWO,RWX',
      'Retain',
      'Bound',
      'default/data',
      'standard',
      '<unset>',
      '',
    ]);
    assert.equal(
      persistentVolumeTable.columns[1]!.description,
      "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
    );
  });
});

describe('PersistentVolumeClaim', () => {
  test('validation', () => {
    assert.deepEqual(validatePersistentVolumeClaim(pvc()), []);
    assert.deepEqual(
      msgs(
        validatePersistentVolumeClaim(
          pvc((p) => {
            p.spec = { storageClassName: 'Bad_Name' };
          }),
        ),
      ),
      [
        'spec.accessModes: Required value: at least 1 access mode is required',
        'spec.resources[storage]: Required value',
        "spec.storageClassName: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    );
  });

  test('update: spec immutable but volumeName once, a class where none was, and growth when bound', () => {
    const old = pvc();
    assert.deepEqual(
      validatePersistentVolumeClaimUpdate(
        pvc((p) => (p.spec!.volumeName = 'pv1')),
        old,
      ),
      [],
    );
    assert.deepEqual(
      validatePersistentVolumeClaimUpdate(
        pvc((p) => (p.spec!.storageClassName = 'standard')),
        old,
      ),
      [],
    );
    const grown = pvc((p) => (p.spec!.resources = { requests: { storage: '2Gi' } }));
    assert.match(
      msgs(validatePersistentVolumeClaimUpdate(grown, old))[0]!,
      /^spec: Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims\n/,
    );
    const bound = pvc((p) => Object.assign(p, { status: { phase: 'Bound', capacity: { storage: '1Gi' } } }));
    assert.deepEqual(validatePersistentVolumeClaimUpdate({ ...grown, status: bound.status }, bound), []);
    const shrunk = pvc((p) => {
      p.spec!.resources = { requests: { storage: '500Mi' } };
      Object.assign(p, { status: bound.status });
    });
    assert.deepEqual(msgs(validatePersistentVolumeClaimUpdate(shrunk, bound)), [
      'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    ]);
  });

  test('kubectl get pvc rows: capacity and modes only once bound', () => {
    const pending = pvc((p) => (p.spec!.storageClassName = 'standard'));
    assert.deepEqual(persistentVolumeClaimTable.row(pending, NOW).slice(0, 7), [
      'data',
      'Pending',
      '',
      '',
      '',
      'standard',
      '<unset>',
    ]);
    const bound = pvc((p) => {
      p.spec!.volumeName = 'pv1';
      Object.assign(p, {
        status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
      });
    });
    assert.deepEqual(persistentVolumeClaimTable.row(bound, NOW).slice(0, 6), [
      'data',
      'Bound',
      'pv1',
      '1Gi',
      'RWO',
      '',
    ]);
    assert.equal(
      persistentVolumeClaimTable.row(
        { ...bound, metadata: { ...bound.metadata, deletionTimestamp: 'x' } },
        NOW,
      )[1],
      'Terminating',
    );
  });
});

describe('StorageClass', () => {
  const sc = (patch: (s: StorageClass) => void = () => {}): StorageClass => {
    const s: StorageClass = { metadata: { name: 'fast' }, provisioner: 'example.com/fast' };
    patch(s);
    defaultStorageClass(s);
    return s;
  };

  test('defaults and validation', () => {
    const s = sc();
    assert.equal(s.reclaimPolicy, 'Delete');
    assert.equal(s.volumeBindingMode, 'Immediate');
    assert.deepEqual(validateStorageClass(s), []);
    assert.deepEqual(
      msgs(
        validateStorageClass(
          sc((x) => {
            x.provisioner = '';
            x.reclaimPolicy = 'Recycle';
            x.volumeBindingMode = 'Later';
          }),
        ),
      ),
      [
        'provisioner: Required value',
        'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
        'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
      ],
    );
    assert.deepEqual(
      msgs(
        validateStorageClassUpdate(
          sc((x) => {
            x.provisioner = 'other.io/x';
            x.parameters = { a: 'b' };
            x.volumeBindingMode = 'WaitForFirstConsumer';
          }),
          s,
        ),
      ),
      [
        'parameters: Forbidden: updates to parameters are forbidden.',
        'provisioner: Forbidden: updates to provisioner are forbidden.',
        'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
      ],
    );
  });

  test('kubectl get sc row: (default) after the default class', () => {
    const s = sc((x) => {
      x.metadata!.annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
      Object.assign(x.metadata!, { creationTimestamp: '2026-01-01T00:00:00Z' });
    });
    assert.deepEqual(storageClassTable.row(s, NOW).slice(0, 5), [
      'fast (default)',
      'example.com/fast',
      'Delete',
      'Immediate',
      false,
    ]);
  });
});
