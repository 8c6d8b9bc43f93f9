/**
 * Phase writes of the PV controller. A volume's phase change stamps lastPhaseTransitionTime (the
 * PersistentVolumeLastPhaseTransitionTime behaviour, GA); a claim Bound reports the volume's access
 * modes and capacity. Writes that change nothing are skipped by the registry.
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { nowRFC3339 } from '../../../api/registry/util.js';
import type { KubeObject } from '../../../api/types.js';
import type { ObjectClient } from '../../client.js';

export type PVObj = PersistentVolume & KubeObject;
export type PVCObj = PersistentVolumeClaim & KubeObject;

export function setVolumePhase(
  client: ObjectClient,
  pv: PVObj,
  phase: string,
  now: Date,
  reason = '',
  message = '',
): PVObj {
  const current = pv.status ?? {};
  if (current.phase === phase && (current.reason ?? '') === reason && (current.message ?? '') === message)
    return pv;
  const status: Record<string, unknown> = { ...current, phase };
  if (current.phase !== phase) status.lastPhaseTransitionTime = nowRFC3339(now);
  if (reason) status.reason = reason;
  else delete status.reason;
  if (message) status.message = message;
  else delete status.message;
  return client.updateStatus('persistentvolumes', { ...pv, status } as PVObj);
}

export function setClaimPhase(
  client: ObjectClient,
  pvc: PVCObj,
  phase: string,
  volume?: PersistentVolume,
): PVCObj {
  const status: Record<string, unknown> = { ...(pvc.status ?? {}), phase };
  if (volume) {
    status.accessModes = volume.spec?.accessModes ?? [];
    status.capacity = volume.spec?.capacity ?? {};
  } else if (phase === 'Pending') {
    delete status.accessModes;
    delete status.capacity;
  }
  if (JSON.stringify(status) === JSON.stringify(pvc.status ?? {})) return pvc;
  return client.updateStatus('persistentvolumeclaims', { ...pvc, status } as PVCObj);
}
