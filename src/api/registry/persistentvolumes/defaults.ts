/**
 * SetDefaults_PersistentVolume (pkg/apis/core/v1/defaults.go): reclaim policy Retain, volumeMode
 * Filesystem, status.phase Pending. Mutates; idempotent.
 */
import type { PersistentVolume } from 'kubernetes-types/core/v1';
import type { Writable } from '../define.js';

export function defaultPersistentVolume(pv: Writable<PersistentVolume>): void {
  pv.spec ??= {};
  pv.spec.persistentVolumeReclaimPolicy ||= 'Retain';
  pv.spec.volumeMode ??= 'Filesystem';
  pv.status ??= {};
  (pv.status as { phase?: string }).phase ||= 'Pending';
}
