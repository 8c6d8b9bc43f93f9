/** Namespace validation, as upstream's ValidateNamespace / ValidateNamespaceUpdate.*
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { Namespace } from 'kubernetes-types/core/v1';
import { validateKubeFinalizerName, validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, invalidValue } from '../../validation/field.js';
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
  const errs = validateKubeFinalizerNames(ns.metadata);
  errs.push(...validateSpecFinalizers(ns));
  return errs;
}

/** Upstream's update ignores spec and status changes (the strategy keeps the old ones). */
export function validateNamespaceUpdate(_ns: Namespace, _old: Namespace): FieldError[] {
  return [];
}
