/**
 * ObjectMeta as the core and apps kinds validate it (pkg/apis/core/validation's wrappers):
 * the generic rules plus "a finalizer without a domain must be a standard one".
 *
 * Contract with the registry: it runs the generic ObjectMeta checks itself
 * (registry/object-meta.ts) before a kind's `validate`, so kind validators add only
 * validateKubeFinalizerNames; the full wrappers are for callers outside the registry.
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

/** The core-only part of ObjectMeta validation, for kind validators run by the registry. */
export function validateKubeFinalizerNames(meta: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  return (meta?.finalizers ?? []).flatMap((f) => validateKubeFinalizerName(f, child(path, 'finalizers')));
}

/** Generic plus core ObjectMeta checks on create. */
export function validateCoreObjectMeta(
  meta: ObjectMeta | undefined,
  requiresNamespace: boolean,
  nameValidator: NameValidator,
  path = 'metadata',
): FieldError[] {
  return [
    ...validateObjectMeta(meta, requiresNamespace, nameValidator, path),
    ...validateKubeFinalizerNames(meta, path),
  ];
}

/** Generic plus core ObjectMeta checks on update. */
export function validateCoreObjectMetaUpdate(
  meta: ObjectMeta | undefined,
  old: ObjectMeta | undefined,
  path = 'metadata',
): FieldError[] {
  return [...validateObjectMetaUpdate(meta, old, path), ...validateKubeFinalizerNames(meta, path)];
}
