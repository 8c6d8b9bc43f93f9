/**
 * Test helper: runs validators in the order the registry does (registry/registry.ts), so a
 * kind's tests see the same error list a client would: ObjectMeta, then (on update) the
 * ObjectMeta update rules, then the kind's `validate`, then its `validateUpdate`.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { type FieldError, formatFieldError } from '../field.js';
import type { NameValidator } from '../names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../objectmeta.js';

interface Kind<T> {
  namespaced: boolean;
  name: NameValidator;
  validate(obj: T): FieldError[];
  validateUpdate?(obj: T, old: T): FieldError[];
}

type WithMeta = { metadata?: ObjectMeta };

/** What a create of `obj` is refused with, as `path: message` strings. */
export function createErrors<T extends WithMeta>(kind: Kind<T>, obj: T): string[] {
  return [...validateObjectMeta(obj.metadata, kind.namespaced, kind.name), ...kind.validate(obj)].map(
    formatFieldError,
  );
}

/** What an update from `old` to `obj` is refused with, as `path: message` strings. */
export function updateErrors<T extends WithMeta>(kind: Kind<T>, obj: T, old: T): string[] {
  return [
    ...validateObjectMeta(obj.metadata, kind.namespaced, kind.name),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...kind.validate(obj),
    ...(kind.validateUpdate?.(obj, old) ?? []),
  ].map(formatFieldError);
}
