/**
 * The storage admission plugins kube-apiserver enables by default (plugin/pkg/admission/storage),
 * in its recommended order:
 *  - DefaultStorageClass (mutating, PVC create): a claim naming no class (neither
 *    spec.storageClassName nor the beta annotation) gets the default StorageClass, the newest one
 *    when several are marked default; none marked: the claim is left classless.
 *  - StorageObjectInUseProtection (mutating, create): every PV gets kubernetes.io/pv-protection
 *    and every PVC kubernetes.io/pvc-protection, which the protection controllers remove once the
 *    object is no longer in use.
 *  - PersistentVolumeClaimResize (validating, PVC update): growing spec.resources.requests.storage
 *    needs a bound claim whose StorageClass sets allowVolumeExpansion.
 */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { compareQuantities, tryParseQuantity } from '../quantity.js';
import { claimClass, claimHasNoClass, isDefaultClass } from '../registry/persistentvolumes/helpers.js';
import type { KubeObject } from '../types.js';
import { type AdmissionAttributes, type AdmissionPlugin, admissionForbidden } from './types.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

const isMain = (a: AdmissionAttributes, resource: string): boolean =>
  a.resource.group === '' && a.resource.resource === resource && a.subresource === '';

/**
 * GetDefaultClass (pkg/volume/util/storageclass): the default classes, newest first (ties by name),
 * or undefined when none is marked default.
 */
export function defaultStorageClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter(isDefaultClass);
  defaults.sort((a, b) => {
    const ta = a.metadata?.creationTimestamp ?? '';
    const tb = b.metadata?.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? 1 : -1;
    return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
  });
  return defaults[0];
}

export const defaultStorageClassPlugin: AdmissionPlugin = {
  name: 'DefaultStorageClass',
  admit(a) {
    if (a.operation !== 'CREATE' || !isMain(a, 'persistentvolumeclaims')) return;
    const pvc = a.object as PersistentVolumeClaim;
    if (!claimHasNoClass(pvc)) return;
    const def = defaultStorageClass(
      a.context.list('storageclasses', '') as unknown as readonly StorageClass[],
    );
    if (!def?.metadata?.name) return;
    (pvc as { spec: { storageClassName?: string } }).spec ??= {};
    (pvc.spec as { storageClassName?: string }).storageClassName = def.metadata.name;
  },
};

export const storageObjectInUseProtection: AdmissionPlugin = {
  name: 'StorageObjectInUseProtection',
  admit(a) {
    if (a.operation !== 'CREATE') return;
    const finalizer = isMain(a, 'persistentvolumes')
      ? PV_PROTECTION_FINALIZER
      : isMain(a, 'persistentvolumeclaims')
        ? PVC_PROTECTION_FINALIZER
        : undefined;
    if (!finalizer) return;
    const meta = (a.object as KubeObject).metadata;
    if (meta.finalizers?.includes(finalizer)) return;
    meta.finalizers = [...(meta.finalizers ?? []), finalizer];
  },
};

const storageOf = (pvc: PersistentVolumeClaim | undefined) => {
  const q = tryParseQuantity(pvc?.spec?.resources?.requests?.storage ?? '0');
  return q instanceof Error ? undefined : q;
};

export const persistentVolumeClaimResize: AdmissionPlugin = {
  name: 'PersistentVolumeClaimResize',
  validate(a) {
    if (a.operation !== 'UPDATE' || !isMain(a, 'persistentvolumeclaims')) return;
    const pvc = a.object as PersistentVolumeClaim;
    const old = a.oldObject as PersistentVolumeClaim | undefined;
    const newSize = storageOf(pvc);
    const oldSize = storageOf(old);
    if (!old || !newSize || !oldSize || compareQuantities(newSize, oldSize) <= 0) return;
    if (old.status?.phase !== 'Bound')
      throw admissionForbidden(a, 'Only bound persistent volume claims can be expanded');
    const cls = claimClass(pvc);
    const sc =
      cls && cls === claimClass(old)
        ? (a.context.list('storageclasses', '') as unknown as readonly StorageClass[]).find(
            (s) => s.metadata?.name === cls,
          )
        : undefined;
    if (sc?.allowVolumeExpansion !== true)
      throw admissionForbidden(
        a,
        'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      );
  },
};
