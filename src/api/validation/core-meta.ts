/**
 * ObjectMeta as the core and apps kinds validate it (pkg/apis/core/validation's wrappers):
 * the generic rules plus "a finalizer without a domain must be a standard one".
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { type FieldError, invalidValue } from './field.js';
import type { NameValidator } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { child } from './path.js';

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** A finalizer name without a `/` must be one Kubernetes itself defines. */
export function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  return !name.includes('/') && !STANDARD_FINALIZERS.has(name)
    ? [invalidValue(path, name, 'name is neither a standard finalizer name nor is it fully qualified')]
    : [];
}

export function validateCoreObjectMeta(
  meta: ObjectMeta | undefined,
  requiresNamespace: boolean,
  nameValidator: NameValidator,
  path = 'metadata',
): FieldError[] {
  const errs = validateObjectMeta(meta, requiresNamespace, nameValidator, path);
  for (const f of meta?.finalizers ?? [])
    errs.push(...validateKubeFinalizerName(f, child(path, 'finalizers')));
  return errs;
}

export function validateCoreObjectMetaUpdate(
  meta: ObjectMeta | undefined,
  old: ObjectMeta | undefined,
  path = 'metadata',
): FieldError[] {
  const errs = validateObjectMetaUpdate(meta, old, path);
  for (const f of meta?.finalizers ?? [])
    errs.push(...validateKubeFinalizerName(f, child(path, 'finalizers')));
  return errs;
}
