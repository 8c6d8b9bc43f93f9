/**
 * ReplicaSet validation, as upstream's ValidateReplicaSet / ValidateReplicaSetUpdate and the
 * apps/v1 strategy's immutable selector.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import type { FieldError } from '../../validation/field.js';
import { validateImmutableField, validateNonnegativeField } from '../../validation/objectmeta.js';
import { validateSelectorAndTemplate } from '../../validation/workload.js';

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const errs = validateKubeFinalizerNames(rs.metadata);
  errs.push(...validateNonnegativeField(rs.spec?.replicas, 'spec.replicas'));
  errs.push(...validateNonnegativeField(rs.spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(rs.spec?.selector, rs.spec?.template, 'spec'));
  return errs;
}

export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateImmutableField(rs.spec?.selector, old.spec?.selector, 'spec.selector'));
  return errs;
}
