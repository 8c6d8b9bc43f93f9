/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), as apimachinery's
 * strategicpatch.StrategicMergeMapPatch applies it on the server (MergeParallelList and
 * IgnoreUnmatchedNulls on). kubectl sends it for client-side `apply`, `set image`,
 * `rollout restart` and `patch` (default type).
 *
 * Semantics: maps merge recursively and `null` deletes a key; lists whose field has
 * patchStrategy merge (see merge-schema.ts) merge by merge key (maps) or as sets (scalars);
 * other lists are replaced. Directives: `$patch: replace|delete` on maps, `$patch:
 * replace|delete` elements in merge lists, `$retainKeys`, `$setElementOrder/<field>`,
 * `$deleteFromPrimitiveList/<field>`. `$patch: merge` is refused as upstream refuses it.
 *
 * Unknown kinds: upstream refuses SMP for unstructured objects (CRDs): the handler answers 415
 * and the library "strategic merge patch format is not supported". podbay serves no CRDs, so
 * an unknown kind gets JSON-merge-like behaviour instead: ObjectMeta rules only, maps merged,
 * lists replaced.
 *
 * Deviation, deliberate: directive keys found inside values that are inserted or replaced
 * wholesale are removed. Upstream leaves them to the typed decoder to drop; podbay stores JSON.
 *
 * Contract: pure; inputs are never mutated; malformed patches throw ApiError (400 or 422).
 */
import { badRequest } from '../errors.js';
import { checkDepth, cloneJson, isObject, type JsonObject, jsonTypeName, setKey } from './json-value.js';
import { type FieldRule, type KindRef, type MergeSchema, schemaFor } from './merge-schema.js';
import {
  DELETE_FROM_PRIMITIVE_LIST,
  discardNulls,
  extractKey,
  RETAIN_KEYS,
  removeDirectives,
  SET_ELEMENT_ORDER,
  stripDirectiveKeys,
} from './strategic-directives.js';
import {
  ERR_BAD_PATCH_FORMAT_PRIMITIVE_LIST,
  ERR_BAD_PATCH_FORMAT_RETAIN_KEYS,
  errBadPatchType,
  StrategicMergeError,
  toApiError,
  wrongListType,
} from './strategic-errors.js';
import { fieldOf, itemOf, mergeSlice, type Where } from './strategic-merge-lists.js';
import { mergeSetElementOrder } from './strategic-order.js';

const ROOT: Where = { schema: '', shown: '' };

export function applyStrategicMergePatch(original: unknown, patch: unknown, kind: KindRef): unknown {
  if (patch === null || patch === undefined) return cloneJson(original);
  if (!isObject(patch)) {
    throw badRequest(
      `json: cannot unmarshal ${jsonTypeName(patch)} into Go value of type map[string]interface {}`,
    );
  }
  const schema = schemaFor(kind);
  const merger = new StrategicMerger(schema);
  const doc = isObject(original) ? cloneJson(original) : {};
  checkPatchTypes(schema, patch, ROOT, 0);
  try {
    return merger.mergeMap(doc, cloneJson(patch), ROOT, 0);
  } catch (e) {
    if (e instanceof StrategicMergeError) throw toApiError(e);
    throw e;
  }
}

const shapeOf = (v: unknown): 'map' | 'list' | 'scalar' =>
  Array.isArray(v) ? 'list' : isObject(v) ? 'map' : 'scalar';
const isListRule = (r: FieldRule | undefined): boolean =>
  !!r && (r.listType !== undefined || r.strategy === 'merge');

/**
 * Where the schema declares a list, a patch value of another type would fail upstream's typed
 * decoding with 422; checking the whole patch first names the field instead of storing garbage.
 */
function checkPatchTypes(schema: MergeSchema, patch: JsonObject, where: Where, depth: number): void {
  checkDepth(depth, where.shown);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const at = fieldOf(where, key);
    const rule = schema.rule(at.schema);
    if (isListRule(rule) && value !== null && !Array.isArray(value))
      throw wrongListType(at.shown, value, 'list');
    if (isObject(value)) checkPatchTypes(schema, value, at, depth + 1);
    else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const itemAt = itemOf(at, `[${i}]`);
        if (rule?.mergeKey && !isObject(item)) throw wrongListType(itemAt.shown, item, 'object');
        if (isObject(item)) checkPatchTypes(schema, item, itemAt, depth + 1);
      });
    }
  }
}

export class StrategicMerger {
  constructor(readonly schema: MergeSchema) {}

  /** Merges `patch` into `original` (both private copies, mutated). */
  readonly mergeMap = (original: JsonObject, patch: JsonObject, where: Where, depth: number): JsonObject => {
    checkDepth(depth, where.shown);
    if (Object.hasOwn(patch, '$patch')) {
      const directive = patch.$patch;
      if (directive === 'replace') {
        delete patch.$patch;
        return stripDirectiveKeys(patch) as JsonObject;
      }
      if (directive === 'delete') return {};
      throw errBadPatchType(directive, patch, where.shown);
    }
    applyRetainKeys(original, patch, where);
    mergeSetElementOrder(this, original, patch, where, depth);
    for (const [k, patchValue] of Object.entries(patch)) {
      let key = k;
      const isDeleteList = k.startsWith(DELETE_FROM_PRIMITIVE_LIST);
      if (isDeleteList)
        key = extractKey(k, DELETE_FROM_PRIMITIVE_LIST, ERR_BAD_PATCH_FORMAT_PRIMITIVE_LIST, where);
      const at = fieldOf(where, key);
      const rule = this.schema.rule(at.schema);
      if (patchValue === null) {
        delete original[key];
        continue;
      }
      const current = Object.hasOwn(original, key) ? original[key] : undefined;
      if (current === undefined || shapeOf(current) !== shapeOf(patchValue)) {
        if (!isDeleteList) {
          const inserted = removeDirectives(discardNulls(patchValue));
          if (inserted === undefined) delete original[key];
          else setKey(original, key, inserted);
        }
        continue;
      }
      setKey(original, key, this.mergeValue(current, patchValue, at, rule, isDeleteList, depth + 1));
    }
    return original;
  };

  /** Merges two values of the same shape found under the same key. */
  mergeValue(
    current: unknown,
    patchValue: unknown,
    at: Where,
    rule: FieldRule | undefined,
    isDeleteList: boolean,
    depth: number,
  ): unknown {
    if (isObject(current)) return this.mergeMap(current, patchValue as JsonObject, at, depth);
    if (Array.isArray(current))
      return this.mergeList(current, patchValue as unknown[], at, rule, isDeleteList, depth);
    return patchValue;
  }

  /** Upstream mergeSliceHandler: merge-strategy (or deletion) lists merge, others are replaced. */
  mergeList(
    current: unknown[],
    patch: unknown[],
    at: Where,
    rule: FieldRule | undefined,
    isDeleteList: boolean,
    depth: number,
  ): unknown[] {
    if (rule?.strategy === 'merge' || isDeleteList) {
      return mergeSlice(current, patch, at, rule?.mergeKey ?? '', isDeleteList, this.mergeMap, depth);
    }
    return stripDirectiveKeys(patch) as unknown[];
  }
}

/** `$retainKeys`: every key of the live map not listed is cleared; the patch may set only listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject, where: Where): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw new StrategicMergeError(ERR_BAD_PATCH_FORMAT_RETAIN_KEYS, where.shown);
  const retained = new Set<unknown>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(k)) throw new StrategicMergeError(ERR_BAD_PATCH_FORMAT_RETAIN_KEYS, where.shown);
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}
