/**
 * persistentVolumeClaim pod volumes (the volume manager's desired-state populator, getPVCExtractPV,
 * plus the hostPath and local volume plugins): the claim must exist, not be being deleted, and be
 * bound; its volume's directory is what containers get, bind-mounted by the runtime like a hostPath
 * (subPath works the same way). hostPath volumes get their type check; local volumes must exist and,
 * as upstream's local plugin, take the pod's fsGroup. Read-only when the pod's volume says so.
 * Errors carry upstream's wording.
 */
import fs from 'node:fs/promises';
import type { PersistentVolume, PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1';
import { checkHostPathType } from './host-path.js';
import { VolumeSetupError } from './payloads.js';

/** What the kubelet reads to resolve a claim (from its API client's cache). */
export interface ClaimLookups {
  persistentVolumeClaim?(namespace: string, name: string): PersistentVolumeClaim | undefined;
  persistentVolume?(name: string): PersistentVolume | undefined;
}

export interface ClaimVolume {
  readonly hostPath: string;
  readonly readOnly: boolean;
  /** The pod's fsGroup applies (local volumes; hostPath volumes are left as they are). */
  readonly ownershipManaged: boolean;
}

export async function resolveClaimVolume(
  pod: Pod,
  volume: Volume,
  lookups: ClaimLookups,
): Promise<ClaimVolume> {
  const namespace = pod.metadata?.namespace ?? '';
  const claimName = volume.persistentVolumeClaim?.claimName ?? '';
  const id = `${namespace}/${claimName}`;
  const pvc = lookups.persistentVolumeClaim?.(namespace, claimName);
  if (!pvc)
    throw new VolumeSetupError(
      `error processing PVC ${id}: failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`,
    );
  if (pvc.metadata?.deletionTimestamp)
    throw new VolumeSetupError(
      `error processing PVC ${id}: can't start pod because PVC ${id} is being deleted`,
    );
  const pvName = pvc.spec?.volumeName ?? '';
  if (pvc.status?.phase !== 'Bound' || !pvName)
    throw new VolumeSetupError(
      `error processing PVC ${id}: PVC ${id} has non-bound phase ("${pvc.status?.phase ?? ''}") or empty pvc.Spec.VolumeName ("${pvName}")`,
    );
  const pv = lookups.persistentVolume?.(pvName);
  if (!pv)
    throw new VolumeSetupError(
      `error processing PVC ${id}: failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`,
    );
  const ref = pv.spec?.claimRef;
  if (ref?.name !== claimName || ref.namespace !== namespace || (ref.uid && ref.uid !== pvc.metadata?.uid))
    throw new VolumeSetupError(
      `error processing PVC ${id}: found PV object ${pvName} but it has a ClaimRef that doesn't match the PVC`,
    );
  const readOnly = volume.persistentVolumeClaim?.readOnly === true;
  if (pv.spec?.hostPath) {
    await checkHostPathType(pv.spec.hostPath.path, pv.spec.hostPath.type);
    return { hostPath: pv.spec.hostPath.path, readOnly, ownershipManaged: false };
  }
  if (pv.spec?.local) {
    const p = pv.spec.local.path;
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat)
      throw new VolumeSetupError(
        `MountVolume.NewMounter initialization failed for volume "${pvName}" : path "${p}" does not exist`,
      );
    return { hostPath: p, readOnly, ownershipManaged: true };
  }
  throw new VolumeSetupError(
    `volume "${pvName}" has a volume source this node cannot mount (only hostPath and local)`,
  );
}
