/** Namespace validation, as upstream's ValidateNamespace / ValidateNamespaceUpdate. */
import type { Namespace } from 'kubernetes-types/core/v1';
import {
  validateCoreObjectMeta,
  validateCoreObjectMetaUpdate,
  validateKubeFinalizerName,
} from '../../validation/core-meta.js';
import { type FieldError, invalidValue } from '../../validation/field.js';
import { validateNamespaceName } from '../../validation/names.js';
import { isQualifiedName } from '../../validation/strings.js';

function validateSpecFinalizers(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.finalizers';
  for (const f of ns.spec?.finalizers ?? []) {
    for (const msg of isQualifiedName(f)) errs.push(invalidValue(path, f, msg));
    errs.push(...validateKubeFinalizerName(f, path));
  }
  return errs;
}

export function validateNamespace(ns: Namespace): FieldError[] {
  const errs = validateCoreObjectMeta(ns.metadata, false, validateNamespaceName);
  errs.push(...validateSpecFinalizers(ns));
  return errs;
}

/** Upstream's update ignores spec and status changes (the strategy keeps the old ones). */
export function validateNamespaceUpdate(ns: Namespace, old: Namespace): FieldError[] {
  return validateCoreObjectMetaUpdate(ns.metadata, old.metadata);
}
