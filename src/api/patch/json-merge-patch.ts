/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`), as kube-apiserver applies it
 * through evanphx/json-patch v4 `MergePatch`. kubectl sends it for `label`, `annotate`, `scale`
 * and `patch --type merge`.
 *
 * Contract: pure; neither argument is mutated; the result shares no structure with them.
 * Upstream details kept on purpose (they are visible to clients):
 * - a patch that is `null` or a scalar is refused with 400 `Invalid JSON Patch`;
 * - a patch that is an array replaces the whole document (nulls inside its objects pruned);
 * - nulls are pruned from values that are inserted where nothing (or a non-object) was, but an
 *   object patch value that replaces a scalar-or-array with a non-object keeps its nulls.
 */
import { badRequest } from '../errors.js';
import { checkDepth, cloneJson, isObject, type JsonObject, setKey } from './json-value.js';

/** The message evanphx/json-patch's ErrBadJSONPatch carries; upstream answers 400 with it. */
export const INVALID_MERGE_PATCH = 'Invalid JSON Patch';

export function applyJsonMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || patch === undefined || typeof patch !== 'object') {
    throw badRequest(INVALID_MERGE_PATCH);
  }
  const patchCopy = cloneJson(patch);
  if (Array.isArray(patchCopy)) return pruneNulls(patchCopy, 0);
  if (!isObject(target)) return pruneNulls(patchCopy, 0);
  const doc = cloneJson(target);
  mergeObjects(doc, patchCopy as JsonObject, 0);
  return doc;
}

/** Merges `patch` into `doc` in place (both are private copies). */
function mergeObjects(doc: JsonObject, patch: JsonObject, depth: number): void {
  checkDepth(depth, '');
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = Object.hasOwn(doc, key) ? doc[key] : undefined;
    const merged =
      current === undefined || current === null
        ? pruneNulls(value, depth + 1)
        : merge(current, value, depth + 1);
    setKey(doc, key, merged);
  }
}

function merge(current: unknown, patch: unknown, depth: number): unknown {
  if (!isObject(current)) return pruneNulls(patch, depth);
  if (!isObject(patch)) return patch;
  mergeObjects(current, patch, depth);
  return current;
}

/** Drops null-valued keys from objects, recursively; null array elements are kept (as upstream). */
function pruneNulls(value: unknown, depth: number): unknown {
  checkDepth(depth, '');
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null) pruneNulls(item, depth + 1);
    return value;
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else pruneNulls(v, depth + 1);
    }
  }
  return value;
}
