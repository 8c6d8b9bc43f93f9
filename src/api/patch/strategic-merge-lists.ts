/**
 * List handling for strategic merge patch (apimachinery strategicpatch: mergeSlice and the
 * ordering rules of the "preserve order" design). Lists with patchStrategy merge are merged
 * element-wise: maps by their merge key, scalars as sets. The result order is: patch items in
 * patch (or $setElementOrder) order, with server-only items interleaved by their live order.
 *
 * Contract: works on private copies (the caller cloned them), so it may reorder and mutate.
 */
import { goValue, isObject, type JsonObject } from './json-value.js';
import {
  ERR_NO_LIST_OF_LISTS,
  errBadArgType,
  errBadPatchType,
  errNoMergeKey,
  StrategicMergeError,
} from './strategic-errors.js';

export type ElementKind = 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null';

const elementKind = (v: unknown): ElementKind =>
  v === null || v === undefined
    ? 'null'
    : Array.isArray(v)
      ? 'list'
      : isObject(v)
        ? 'map'
        : (typeof v as 'string' | 'number' | 'boolean');

/** The merge of two maps at `path`; provided by the map merger to break the module cycle. */
export type MapMerger = (original: JsonObject, patch: JsonObject, path: Where, depth: number) => JsonObject;

/** Where a merge is: `schema` is the merge-schema path (`spec.containers[]`), `shown` the one errors print. */
export interface Where {
  readonly schema: string;
  readonly shown: string;
}

/** The field `key` under `w`. */
export const fieldOf = (w: Where, key: string): Where => ({
  schema: w.schema ? `${w.schema}.${key}` : key,
  shown: w.shown ? `${w.shown}.${key}` : key,
});

/** An item of the list at `w`, shown with its label (`[name="app"]`). */
export const itemOf = (w: Where, label: string): Where => ({
  schema: `${w.schema}[]`,
  shown: `${w.shown}${label}`,
});

/** The common element kind of the lists (upstream sliceElementType). */
export function sliceElementType(lists: readonly unknown[][], path: Where): ElementKind {
  let kind: ElementKind | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = elementKind(v);
      if (kind === undefined) {
        if (k === 'list') throw new StrategicMergeError(ERR_NO_LIST_OF_LISTS, path.shown);
        kind = k;
      } else if (k !== kind) {
        throw new StrategicMergeError(`list element types are not identical: ${goValue(lists)}`, path.shown);
      }
    }
  }
  if (kind === undefined) throw new StrategicMergeError('no elements in any of the given slices', path.shown);
  return kind;
}

/** What identifies an element when ordering: its merge-key value for maps, itself otherwise. */
const identity = (item: unknown, mergeKey: string, kind: ElementKind): unknown =>
  kind === 'map' ? (isObject(item) ? item[mergeKey] : undefined) : item;

/** First index of each identity in `list` (upstream's linear `index`, precomputed). */
function indexOf(list: readonly unknown[], mergeKey: string, kind: ElementKind): Map<unknown, number> {
  const idx = new Map<unknown, number>();
  list.forEach((v, i) => {
    const id = identity(v, mergeKey, kind);
    if (!idx.has(id)) idx.set(id, i);
  });
  return idx;
}

/**
 * The merge-key values present in `list` (every item must be a map). A set makes lookups O(1):
 * upstream scans linearly, which a hostile patch of many items would turn quadratic.
 */
function keyValues(list: readonly unknown[], key: string, path: Where): Set<unknown> {
  const keys = new Set<unknown>();
  list.forEach((v, i) => {
    if (!isObject(v)) throw new StrategicMergeError(`value for key ${i} is not a map`, path.shown);
    if (Object.hasOwn(v, key)) keys.add(v[key]);
  });
  return keys;
}

function validateMergeKeyInLists(
  mergeKey: string,
  lists: readonly (readonly unknown[])[],
  path: Where,
): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isObject(item)) throw errBadArgType('map', item, path.shown);
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey, path.shown);
    }
  }
}

/** Sorts `toSort` by the positions of its items in `order`; `$patch: delete` items go last. */
function normalizeSliceOrder(
  toSort: unknown[],
  order: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
  path: Where,
): unknown[] {
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, [toSort, order], path);
    toDelete = toSort.filter((v) => (v as JsonObject).$patch === 'delete');
    toSort = toSort.filter((v) => (v as JsonObject).$patch !== 'delete');
  }
  const pos = indexOf(order, mergeKey, kind);
  const at = (v: unknown): number => pos.get(identity(v, mergeKey, kind)) ?? -1;
  const allFound = toSort.every((v) => at(v) >= 0);
  const sorted =
    allFound || toSort.length > GO_INSERTION_SORT_MAX
      ? [...toSort].sort((a, b) => (at(a) >= 0 && at(b) >= 0 ? at(a) - at(b) : 0))
      : goInsertionSort(toSort, (a, b) => !(at(a) >= 0 && at(b) >= 0) || at(a) < at(b));
  return [...sorted, ...toDelete];
}

/** Go's sort.SliceStable insertion-sorts blocks of this many items. */
const GO_INSERTION_SORT_MAX = 20;

/**
 * Go's sort.SliceStable for small inputs (an insertion sort), used only when some item is
 * missing from the order list: upstream's comparator then says "less" for any pair involving
 * it, and only replaying the same algorithm yields the same order. Longer lists (only hostile
 * patches produce them) keep their relative order instead, to stay O(n log n).
 */
function goInsertionSort(items: readonly unknown[], less: (a: unknown, b: unknown) => boolean): unknown[] {
  const s = [...items];
  for (let i = 1; i < s.length; i++) {
    for (let j = i; j > 0 && less(s[j], s[j - 1]); j--) [s[j - 1], s[j]] = [s[j], s[j - 1]];
  }
  return s;
}

/** Interleaves server-only items (`left`) into patch items (`right`) by live order. */
function mergeSortedSlice(
  left: readonly unknown[],
  right: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const pos = indexOf(serverOrder, mergeKey, kind);
  const at = (v: unknown): number => pos.get(identity(v, mergeKey, kind)) ?? -1;
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = at(left[i]);
      const ri = at(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
  path: Where,
): unknown[] {
  const p = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind, path);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind, path);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** Splits `merged` into items present in `by` and the rest (by merge key for maps). */
export function partition(
  merged: readonly unknown[],
  by: readonly unknown[],
  mergeKey: string,
  path: Where,
): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  if (!mergeKey) {
    const set = new Set(by);
    for (const v of merged) (set.has(v) ? inPatch : serverOnly).push(v);
    return [inPatch, serverOnly];
  }
  const keys = keyValues(by, mergeKey, path);
  for (const v of merged) {
    if (!isObject(v)) throw errBadArgType('map', v, path.shown);
    if (!Object.hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey, path.shown);
    (keys.has(v[mergeKey]) ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** Merges two lists of a `patchStrategy: merge` field (upstream mergeSlice). */
export function mergeSlice(
  original: unknown[],
  patch: unknown[],
  path: Where,
  mergeKey: string,
  isDeleteList: boolean,
  mergeMap: MapMerger,
  depth: number,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType([original, patch], path);
  if (kind !== 'map') {
    if (isDeleteList) {
      const gone = new Set(patch);
      return original.filter((v) => !gone.has(v));
    }
    const merged = [...new Set([...original, ...patch])];
    const [inPatch, serverOnly] = partition(merged, patch, '', path);
    return normalizeElementOrder(inPatch, serverOnly, patch, original, '', kind, path);
  }
  if (!mergeKey)
    throw new StrategicMergeError(`cannot merge lists without merge key for ${path.shown}`, path.shown);
  const special = applySpecialElements(original, patch, mergeKey, path);
  const merged = mergeByKey(special.original, special.patch, mergeKey, path, mergeMap, depth);
  const [inPatch, serverOnly] = partition(merged, special.patch, mergeKey, path);
  return normalizeElementOrder(inPatch, serverOnly, special.patch, special.original, mergeKey, kind, path);
}

/** Applies `$patch` elements: delete removes matching items, replace discards the live list. */
function applySpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  path: Where,
): { original: unknown[]; patch: unknown[] } {
  const plain: unknown[] = [];
  const deleted = new Set<unknown>();
  let replace = false;
  for (const v of patch) {
    const item = v as JsonObject;
    if (!Object.hasOwn(item, '$patch')) {
      plain.push(v);
      continue;
    }
    const directive = item.$patch;
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey, path.shown);
      deleted.add(item[mergeKey]);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new StrategicMergeError('merging lists cannot yet be specified in the patch', path.shown);
    } else {
      throw errBadPatchType(directive, item, path.shown);
    }
  }
  if (deleted.size > 0) {
    keyValues(original, mergeKey, path);
    original = original.filter(
      (v) => !(Object.hasOwn(v as JsonObject, mergeKey) && deleted.has((v as JsonObject)[mergeKey])),
    );
  }
  return replace ? { original: plain, patch: [] } : { original, patch: plain };
}

/** Merges each patch map into the live item with the same merge key, or appends it. */
function mergeByKey(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  path: Where,
  mergeMap: MapMerger,
  depth: number,
): unknown[] {
  const out = [...original];
  keyValues(out, mergeKey, path);
  const at = new Map<unknown, number>();
  out.forEach((v, i) => {
    const item = v as JsonObject;
    if (Object.hasOwn(item, mergeKey) && !at.has(item[mergeKey])) at.set(item[mergeKey], i);
  });
  for (const v of patch) {
    const item = v as JsonObject;
    if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey, path.shown);
    const i = at.get(item[mergeKey]) ?? -1;
    if (i < 0) at.set(item[mergeKey], out.length);
    if (i >= 0)
      out[i] = mergeMap(
        out[i] as JsonObject,
        item,
        itemOf(path, `[${mergeKey}=${JSON.stringify(item[mergeKey])}]`),
        depth + 1,
      );
    else out.push(v);
  }
  return out;
}
