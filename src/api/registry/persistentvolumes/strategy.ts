import type { PersistentVolume } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo, type Writable } from '../define.js';
import { nowRFC3339 } from '../util.js';
import { defaultPersistentVolume } from './defaults.js';
import { persistentVolumeTable } from './table.js';
import { validatePersistentVolume, validatePersistentVolumeUpdate } from './validation.js';

/**
 * core/v1 PersistentVolume (pkg/registry/core/persistentvolume), cluster-scoped, with status. A
 * create starts Pending with lastPhaseTransitionTime now (PersistentVolumeLastPhaseTransitionTime,
 * GA); volumeAttributesClassName is dropped (the VolumeAttributesClass gate is off in 1.32).
 */
export const persistentVolumeStrategy = defineStrategy<PersistentVolume>({
  info: resourceInfo({
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
  }),
  hasStatus: true,
  table: persistentVolumeTable,
  prepareForCreate(pv: Writable<PersistentVolume>) {
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: nowRFC3339(new Date()) };
    if (pv.spec) delete (pv.spec as { volumeAttributesClassName?: string }).volumeAttributesClassName;
  },
  prepareForUpdate(pv: Writable<PersistentVolume>, old: PersistentVolume) {
    pv.status = structuredClone(old.status);
    if (pv.spec && old.spec?.volumeAttributesClassName === undefined)
      delete (pv.spec as { volumeAttributesClassName?: string }).volumeAttributesClassName;
  },
  defaults: (pv) => defaultPersistentVolume(pv as Writable<PersistentVolume>),
  validate: (pv) => validatePersistentVolume(pv),
  validateUpdate: (pv, old) => validatePersistentVolumeUpdate(pv, old),
});
