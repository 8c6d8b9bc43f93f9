/**
 * ReplicaSet validation, as upstream's ValidateReplicaSet / ValidateReplicaSetUpdate and the
 * apps/v1 strategy's immutable selector.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { validateCoreObjectMeta, validateCoreObjectMetaUpdate } from '../../validation/core-meta.js';
import type { FieldError } from '../../validation/field.js';
import { nameIsDNSSubdomain } from '../../validation/names.js';
import { validateImmutableField, validateNonnegativeField } from '../../validation/objectmeta.js';
import { validateSelectorAndTemplate } from '../../validation/workload.js';

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const errs = validateCoreObjectMeta(rs.metadata, true, nameIsDNSSubdomain);
  errs.push(...validateNonnegativeField(rs.spec?.replicas, 'spec.replicas'));
  errs.push(...validateNonnegativeField(rs.spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(rs.spec?.selector, rs.spec?.template, 'spec'));
  return errs;
}

export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  const errs = validateCoreObjectMetaUpdate(rs.metadata, old.metadata);
  errs.push(...validateReplicaSet(rs));
  errs.push(...validateImmutableField(rs.spec?.selector, old.spec?.selector, 'spec.selector'));
  return errs;
}
