/**
 * `$setElementOrder/<field>` for strategic merge patch (upstream mergePatchIntoOriginal): the
 * directive lists the final order of a merge list. The field's patch list is merged here (and
 * removed from the patch so the main loop does not merge it twice), then ordered: items named
 * in the directive follow its order, live-only items keep their live positions between them.
 */
import { goValue, isObject, type JsonObject } from './json-value.js';
import { extractKey, removeDirectives, SET_ELEMENT_ORDER } from './strategic-directives.js';
import {
  ERR_BAD_PATCH_FORMAT_SET_ELEMENT_ORDER,
  errBadArgType,
  errNoMergeKey,
  StrategicMergeError,
} from './strategic-errors.js';
import type { StrategicMerger } from './strategic-merge.js';
import {
  fieldOf,
  normalizeElementOrder,
  partition,
  sliceElementType,
  type Where,
} from './strategic-merge-lists.js';

const PREFIX = SET_ELEMENT_ORDER;

export function mergeSetElementOrder(
  merger: StrategicMerger,
  original: JsonObject,
  patch: JsonObject,
  where: Where,
  depth: number,
): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(PREFIX)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('list', order, where.shown);
    const field = extractKey(key, PREFIX, ERR_BAD_PATCH_FORMAT_SET_ELEMENT_ORDER, where);
    const at = fieldOf(where, field);
    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    const originalList = foundOriginal ? asList(original[field], at) : [];
    const patchList = foundPatch ? asList(patch[field], at) : [];
    const rule = merger.schema.rule(at.schema);
    const mergeKey = rule?.mergeKey ?? '';
    validatePatchWithSetOrderList(patchList, order, mergeKey, at);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = (removeDirectives(patchList) as unknown[]) ?? [];
    else if (foundOriginal && foundPatch)
      merged = merger.mergeList(originalList, patchList, at, rule, false, depth + 1);
    else continue;

    const [inOrder, serverOnly] = partition(merged, order, mergeKey, at);
    const kind = sliceElementType([originalList, patchList], at);
    original[field] = normalizeElementOrder(inOrder, serverOnly, order, originalList, mergeKey, kind, at);
    delete patch[field];
  }
}

function asList(v: unknown, at: Where): unknown[] {
  if (!Array.isArray(v)) throw errBadArgType('list', v, at.shown);
  return v;
}

/** Upstream's consistency check: patch items must appear in the directive, in the same order. */
function validatePatchWithSetOrderList(
  patchList: unknown[],
  order: unknown[],
  mergeKey: string,
  at: Where,
): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey) {
    for (const v of patchList) if (!isObject(v)) throw errBadArgType('map', v, at.shown);
    items = patchList.filter((v) => (v as JsonObject).$patch !== 'delete');
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isObject(item) && Object.hasOwn(item, '$patch')) {
      p++;
      continue;
    }
    if (keyEqual(item, order[o], mergeKey, at)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw new StrategicMergeError(
      `The order in patch list:\n${goList(patchList)}\n doesn't match ${PREFIX} list:\n${goList(order)}\n`,
      at.shown,
    );
  }
}

function keyEqual(a: unknown, b: unknown, mergeKey: string, at: Where): boolean {
  if (!mergeKey) return a === b;
  if (!isObject(a)) throw errBadArgType('map', a, at.shown);
  if (!isObject(b)) throw errBadArgType('map', b, at.shown);
  if (!Object.hasOwn(a, mergeKey)) throw errNoMergeKey(a, mergeKey, at.shown);
  if (!Object.hasOwn(b, mergeKey)) throw errNoMergeKey(b, mergeKey, at.shown);
  return a[mergeKey] === b[mergeKey];
}

const goList = (l: unknown[]): string => goValue(l);
