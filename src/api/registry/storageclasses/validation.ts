/**
 * StorageClass validation, as ValidateStorageClass / ValidateStorageClassUpdate
 * (pkg/apis/storage/validation/validation.go): a qualified-name provisioner, at most 512 parameters
 * of 256 KiB in all with no empty key, reclaimPolicy Delete or Retain, volumeBindingMode Immediate
 * or WaitForFirstConsumer. parameters, provisioner, reclaimPolicy and volumeBindingMode are fixed
 * after creation.
 */
import type { StorageClass } from 'kubernetes-types/storage/v1';
import {
  type FieldError,
  forbidden,
  invalidValue,
  notSupported,
  required,
  tooLong,
} from '../../validation/field.js';
import { deepEqual, validateImmutableField } from '../../validation/objectmeta.js';
import { isQualifiedName } from '../../validation/strings.js';

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;
const RECLAIM = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = sc.provisioner ?? '';
  if (!provisioner) errs.push(required('provisioner', provisioner));
  else
    errs.push(
      ...isQualifiedName(provisioner.toLowerCase()).map((m) => invalidValue('provisioner', provisioner, m)),
    );
  const params = sc.parameters ?? {};
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMETERS)
    errs.push(tooLong('parameters', 'Provisioner Parameters exceeded max allowed', MAX_PARAMETERS));
  let size = 0;
  for (const [k, v] of entries) {
    if (k.length === 0) errs.push(invalidValue('parameters', k, 'field can not be empty.'));
    size += k.length + v.length;
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(tooLong('parameters', '', MAX_PARAMETERS_SIZE));
  if (sc.reclaimPolicy && !RECLAIM.includes(sc.reclaimPolicy))
    errs.push(notSupported('reclaimPolicy', sc.reclaimPolicy, RECLAIM));
  if (sc.volumeBindingMode === undefined) errs.push(required('volumeBindingMode', ''));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode))
    errs.push(notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
  return errs;
}

export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (!deepEqual(sc.parameters ?? {}, old.parameters ?? {}))
    errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner)
    errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy)
    errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutableField(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return errs;
}
