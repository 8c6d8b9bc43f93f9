/**
 * Which volume a claim binds to (pkg/controller/volume/persistentvolume: index.go findByClaim and
 * util.FindMatchingVolume). Pure; the controller acts on the answer.
 *
 * Volumes are tried in groups by access modes, the groups with the fewest modes first, taking only
 * volumes whose modes include every mode the claim asks for. Within a group: a volume pre-bound to
 * this claim (claimRef naming it, uid empty or the claim's) wins outright; otherwise the smallest
 * Available volume of the claim's class whose capacity covers the request, whose volumeMode matches
 * and whose labels match the claim's selector. A volume being deleted is never chosen. With
 * `delayBinding` (WaitForFirstConsumer, no node chosen yet) only pre-bound volumes are taken.
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { compareQuantities, type Quantity, tryParseQuantity } from '../../../api/quantity.js';
import { claimClass, volumeClass } from '../../../api/registry/persistentvolumes/helpers.js';
import { selectorFromLabelSelector } from '../../../api/selectors/label-selector.js';

const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

export function storageQuantity(v: unknown): Quantity {
  const q = tryParseQuantity(v ?? '0');
  return q instanceof Error ? ZERO : q;
}

/** IsVolumeBoundToClaim: claimRef names the claim, with no uid or the claim's uid. */
export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata?.name || ref.namespace !== pvc.metadata?.namespace) return false;
  return !ref.uid || ref.uid === pvc.metadata?.uid;
}

/** CheckVolumeModeMismatches: an unset mode is Filesystem on both sides. */
export function volumeModeMismatch(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return (pvc.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function hasAccessModes(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const offered = new Set(pv.spec?.accessModes ?? []);
  return (pvc.spec?.accessModes ?? []).every((m) => offered.has(m));
}

function matchIn<T extends PersistentVolume>(
  pvc: PersistentVolumeClaim,
  volumes: readonly T[],
  delayBinding: boolean,
): T | undefined {
  const requested = storageQuantity(pvc.spec?.resources?.requests?.storage);
  const requestedClass = claimClass(pvc);
  const selector = pvc.spec?.selector ? selectorFromLabelSelector(pvc.spec.selector) : undefined;
  let smallest: T | undefined;
  let smallestQty: Quantity | undefined;
  for (const pv of volumes) {
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    const qty = storageQuantity(pv.spec?.capacity?.storage);
    if (compareQuantities(qty, requested) < 0) continue;
    if (volumeModeMismatch(pvc, pv)) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    if (isVolumeBoundToClaim(pv, pvc)) return pv;
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata?.labels)) continue;
    if (volumeClass(pv) !== requestedClass) continue;
    if (!smallest || (smallestQty && compareQuantities(smallestQty, qty) > 0)) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}

export function findMatchingVolume<T extends PersistentVolume>(
  pvc: PersistentVolumeClaim,
  volumes: readonly T[],
  delayBinding: boolean,
): T | undefined {
  // allPossibleMatchingAccessModes: the distinct mode sets that include the claim's, fewest first.
  const groups = new Map<string, T[]>();
  for (const pv of volumes) {
    if (!hasAccessModes(pv, pvc)) continue;
    const k = [...new Set(pv.spec?.accessModes ?? [])].sort().join(',');
    groups.set(k, [...(groups.get(k) ?? []), pv]);
  }
  const ordered = [...groups.entries()].sort(
    (a, b) => a[0].split(',').length - b[0].split(',').length || (a[0] < b[0] ? -1 : 1),
  );
  for (const [, group] of ordered) {
    const found = matchIn(pvc, group, delayBinding);
    if (found) return found;
  }
  return undefined;
}
