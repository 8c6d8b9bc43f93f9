import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo, type Writable } from '../define.js';
import { defaultPersistentVolumeClaim } from './defaults.js';
import { persistentVolumeClaimTable } from './table.js';
import { validatePersistentVolumeClaim, validatePersistentVolumeClaimUpdate } from './validation.js';

const dropAttributesClass = (pvc: Writable<PersistentVolumeClaim>) => {
  if (pvc.spec) delete (pvc.spec as { volumeAttributesClassName?: string }).volumeAttributesClassName;
};

/**
 * core/v1 PersistentVolumeClaim (pkg/registry/core/persistentvolumeclaim), with status. A create
 * starts with an empty status (phase Pending by default); volumeAttributesClassName is dropped (the
 * VolumeAttributesClass gate is off in 1.32).
 */
export const persistentVolumeClaimStrategy = defineStrategy<PersistentVolumeClaim>({
  info: resourceInfo({
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
  }),
  hasStatus: true,
  table: persistentVolumeClaimTable,
  prepareForCreate(pvc: Writable<PersistentVolumeClaim>) {
    pvc.status = {};
    dropAttributesClass(pvc);
  },
  prepareForUpdate(pvc: Writable<PersistentVolumeClaim>, old: PersistentVolumeClaim) {
    pvc.status = structuredClone(old.status);
    if (old.spec?.volumeAttributesClassName === undefined) dropAttributesClass(pvc);
  },
  defaults: (pvc) => defaultPersistentVolumeClaim(pvc as Writable<PersistentVolumeClaim>),
  validate: (pvc) => validatePersistentVolumeClaim(pvc),
  validateUpdate: (pvc, old) => validatePersistentVolumeClaimUpdate(pvc, old),
});
