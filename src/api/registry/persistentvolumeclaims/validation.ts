/**
 * PersistentVolumeClaim validation, as ValidatePersistentVolumeClaim(Spec) and
 * ValidatePersistentVolumeClaimUpdate (pkg/apis/core/validation, 1.32: RecoverVolumeExpansionFailure
 * on, VolumeAttributesClass off). The spec is immutable after creation except volumeName (set once,
 * by the binder), a storageClassName set where none was (retroactive default class) and, for a bound
 * claim, resources.requests.storage, which may grow; shrinking is allowed only back towards a size
 * above status.capacity (recovery from a failed expansion). Whether growth is allowed at all is the
 * PersistentVolumeClaimResize admission plugin's call (the class must allow expansion).
 */
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec } from 'kubernetes-types/core/v1';
import { compareQuantities, tryParseQuantity } from '../../quantity.js';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, forbidden, notSupported, required } from '../../validation/field.js';
import { validateLabelSelector } from '../../validation/labels.js';
import { deepEqual, validateImmutableField } from '../../validation/objectmeta.js';
import { child, key } from '../../validation/path.js';
import { VOLUME_MODES } from '../persistentvolumes/helpers.js';
import {
  specDiff,
  validateAccessModes,
  validateClassName,
  validatePositiveQuantity,
} from '../persistentvolumes/validation.js';

export function validatePersistentVolumeClaimSpec(
  spec: PersistentVolumeClaimSpec | undefined,
  path = 'spec',
): FieldError[] {
  const s = spec ?? {};
  const errs = validateAccessModes(
    s.accessModes,
    child(path, 'accessModes'),
    'at least 1 access mode is required',
  );
  if (s.selector)
    errs.push(
      ...validateLabelSelector(
        s.selector,
        { allowInvalidLabelValueInSelector: false },
        child(path, 'selector'),
      ),
    );
  const storagePath = key(child(path, 'resources'), 'storage');
  const storage = s.resources?.requests?.storage;
  if (storage === undefined) errs.push(required(storagePath, ''));
  else errs.push(...validatePositiveQuantity(storage, storagePath));
  if (s.storageClassName)
    errs.push(...validateClassName(s.storageClassName, child(path, 'storageClassName')));
  if (s.volumeMode !== undefined && !(VOLUME_MODES as readonly string[]).includes(s.volumeMode))
    errs.push(notSupported(child(path, 'volumeMode'), s.volumeMode, VOLUME_MODES));
  return errs;
}

export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim): FieldError[] {
  return [...validateKubeFinalizerNames(pvc.metadata), ...validatePersistentVolumeClaimSpec(pvc.spec)];
}

const storageOf = (v: unknown) => {
  const q = tryParseQuantity(v ?? '0');
  return q instanceof Error ? undefined : q;
};

export function validatePersistentVolumeClaimUpdate(
  pvc: PersistentVolumeClaim,
  old: PersistentVolumeClaim,
): FieldError[] {
  const errs: FieldError[] = [];
  const next = structuredClone(pvc.spec ?? {}) as Record<string, unknown> & PersistentVolumeClaimSpec;
  const prev = structuredClone(old.spec ?? {}) as Record<string, unknown> & PersistentVolumeClaimSpec;
  // volumeName may be set once (the binder's write).
  if (!old.spec?.volumeName) prev.volumeName = next.volumeName;
  // A class may be set where none was (validateStorageClassUpgradeFromNil).
  if (
    old.spec?.storageClassName === undefined &&
    !old.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class']
  )
    prev.storageClassName = next.storageClassName;
  if (old.status?.phase === 'Bound' || pvc.status?.phase === 'Bound') {
    if (next.resources?.requests && prev.resources?.requests?.storage !== undefined)
      next.resources.requests = { ...next.resources.requests, storage: prev.resources.requests.storage };
  }
  for (const o of [next, prev]) {
    if (o.resources && Object.keys(o.resources).length === 0) delete o.resources;
  }
  if (!deepEqual(next, prev))
    errs.push(
      forbidden(
        'spec',
        `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(prev, next)}`,
      ),
    );
  const newSize = storageOf(pvc.spec?.resources?.requests?.storage);
  const oldSize = storageOf(old.spec?.resources?.requests?.storage);
  const statusSize = storageOf(old.status?.capacity?.storage);
  if (newSize && oldSize && statusSize && compareQuantities(newSize, oldSize) < 0) {
    if (compareQuantities(newSize, statusSize) <= 0)
      errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  errs.push(...validateImmutableField(pvc.spec?.volumeMode, old.spec?.volumeMode, 'volumeMode'));
  return errs;
}
