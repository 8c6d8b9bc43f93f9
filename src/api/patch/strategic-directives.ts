/**
 * Strategic-merge directive names and the helpers that strip directives from values stored as
 * they are (upstream removeDirectives / discardNullValuesFromPatch, plus podbay's key stripping).
 */
import { isObject } from './json-value.js';
import { StrategicMergeError } from './strategic-errors.js';
import type { Where } from './strategic-merge-lists.js';

export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
export const SET_ELEMENT_ORDER = '$setElementOrder';
export const RETAIN_KEYS = '$retainKeys';

/** `key` without its directive prefix (`$deleteFromPrimitiveList/finalizers` → `finalizers`). */
export function extractKey(key: string, prefix: string, formatError: string, where: Where): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw new StrategicMergeError(formatError, where.shown);
  return key.slice(slash + 1);
}

const isDirectiveKey = (k: string): boolean =>
  k === '$patch' ||
  k === RETAIN_KEYS ||
  k.startsWith(`${SET_ELEMENT_ORDER}/`) ||
  k.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`);

/** Removes directive keys from a value stored as is (see the deviation note above). */
export function stripDirectiveKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectiveKeys);
  if (!isObject(v)) return v;
  for (const k of Object.keys(v)) {
    if (isDirectiveKey(k)) delete v[k];
    else v[k] = stripDirectiveKeys(v[k]);
  }
  return v;
}

/** Upstream removeDirectives: maps carrying `$patch` vanish; returns undefined when `v` does. */
export function removeDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(removeDirectives).filter((x) => x !== undefined);
  if (!isObject(v)) return v;
  if (Object.hasOwn(v, '$patch')) return undefined;
  for (const k of Object.keys(v)) {
    const kept = isDirectiveKey(k) ? undefined : removeDirectives(v[k]);
    if (kept === undefined) delete v[k];
    else v[k] = kept;
  }
  return v;
}

/** Upstream discardNullValuesFromPatch: null-valued keys are dropped at every depth. */
export function discardNulls(v: unknown): unknown {
  if (Array.isArray(v)) v.forEach(discardNulls);
  else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNulls(x);
    }
  }
  return v;
}
