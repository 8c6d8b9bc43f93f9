/** ServiceAccount validation, as upstream's ValidateServiceAccount / ValidateServiceAccountUpdate.*
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { ServiceAccount } from 'kubernetes-types/core/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import type { FieldError } from '../../validation/field.js';

export function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  return validateKubeFinalizerNames(sa.metadata);
}

export function validateServiceAccountUpdate(_sa: ServiceAccount, _old: ServiceAccount): FieldError[] {
  return [];
}
