/** ServiceAccount validation, as upstream's ValidateServiceAccount / ValidateServiceAccountUpdate. */
import type { ServiceAccount } from 'kubernetes-types/core/v1';
import { validateCoreObjectMeta, validateCoreObjectMetaUpdate } from '../../validation/core-meta.js';
import type { FieldError } from '../../validation/field.js';
import { nameIsDNSSubdomain } from '../../validation/names.js';

export function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  return validateCoreObjectMeta(sa.metadata, true, nameIsDNSSubdomain);
}

export function validateServiceAccountUpdate(sa: ServiceAccount, old: ServiceAccount): FieldError[] {
  return [...validateCoreObjectMetaUpdate(sa.metadata, old.metadata), ...validateServiceAccount(sa)];
}
