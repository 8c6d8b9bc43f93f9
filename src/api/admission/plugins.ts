/**
 * The admission plugins the engine runs, in kube-apiserver's order (its recommended plugin order
 * puts LimitRanger, then DefaultStorageClass, StorageObjectInUseProtection and
 * PersistentVolumeClaimResize, before ResourceQuota, so quota charges the resources LimitRanger defaulted).
 */
import { limitRanger } from './limitranger.js';
import { resourceQuota } from './resourcequota.js';
import {
  defaultStorageClassPlugin,
  persistentVolumeClaimResize,
  storageObjectInUseProtection,
} from './storage.js';
import type { AdmissionPlugin } from './types.js';

export const admissionPlugins = (): readonly AdmissionPlugin[] => [
  limitRanger,
  defaultStorageClassPlugin,
  storageObjectInUseProtection,
  persistentVolumeClaimResize,
  resourceQuota,
];
