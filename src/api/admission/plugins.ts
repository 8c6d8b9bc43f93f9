/**
 * The admission plugins the engine runs, in kube-apiserver's order (its recommended plugin order
 * puts LimitRanger, Priority, then DefaultStorageClass, StorageObjectInUseProtection,
 * PersistentVolumeClaimResize and DefaultIngressClass, all before ResourceQuota, so quota charges the
 * resources LimitRanger defaulted and the PriorityClass scope sees the class a pod was given).
 */
import { defaultIngressClassPlugin } from './defaultingressclass.js';
import { limitRanger } from './limitranger.js';
import { priority } from './priority.js';
import { resourceQuota } from './resourcequota.js';
import {
  defaultStorageClassPlugin,
  persistentVolumeClaimResize,
  storageObjectInUseProtection,
} from './storage.js';
import type { AdmissionPlugin } from './types.js';

export const admissionPlugins = (): readonly AdmissionPlugin[] => [
  limitRanger,
  priority,
  defaultStorageClassPlugin,
  storageObjectInUseProtection,
  persistentVolumeClaimResize,
  defaultIngressClassPlugin,
  resourceQuota,
];
