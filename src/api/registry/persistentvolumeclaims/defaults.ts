/**
 * SetDefaults_PersistentVolumeClaim / SetDefaults_PersistentVolumeClaimSpec (pkg/apis/core/v1):
 * volumeMode Filesystem, status.phase Pending. Mutates; idempotent.
 */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { Writable } from '../define.js';

export function defaultPersistentVolumeClaim(pvc: Writable<PersistentVolumeClaim>): void {
  pvc.spec ??= {};
  pvc.spec.volumeMode ??= 'Filesystem';
  pvc.status ??= {};
  (pvc.status as { phase?: string }).phase ||= 'Pending';
}
