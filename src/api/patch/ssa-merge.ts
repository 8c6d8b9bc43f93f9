/**
 * Value operations of server-side apply (structured-merge-diff typed Merge and RemoveItems):
 * merging an apply configuration into the live object, and removing the fields an applier
 * gave up. Both follow the merge schema: map lists merge by key, set lists by value, atomic
 * lists and maps are replaced whole.
 */

import { type FieldPath, type FieldSet, fieldElement, type PathElement, pathString } from './field-set.js';
import type { FieldWalker } from './field-walk.js';
import { checkDepth, cloneJson, isObject, type JsonObject, setKey } from './json-value.js';
import { childPath, itemPath } from './merge-schema.js';

/** Apply configurations often carry `null` (e.g. `creationTimestamp: null`); a null sets nothing. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setKey(out, k, withoutNulls(x));
  return out;
}

/** `live` with `config` merged in; neither is mutated. */
export function mergeApplied(walker: FieldWalker, live: unknown, config: unknown): unknown {
  return merge(walker, live, config, '', [], 0);
}

function merge(
  walker: FieldWalker,
  lhs: unknown,
  rhs: unknown,
  sp: string,
  path: FieldPath,
  depth: number,
): unknown {
  checkDepth(depth, pathString(path));
  if (rhs === undefined) return cloneJson(lhs);
  if (isObject(lhs) && isObject(rhs) && !(path.length > 0 && walker.isAtomicMap(sp))) {
    const out = cloneJson(lhs);
    for (const [k, v] of Object.entries(rhs)) {
      if (v === null) delete out[k];
      else
        setKey(
          out,
          k,
          merge(
            walker,
            Object.hasOwn(lhs, k) ? lhs[k] : undefined,
            v,
            childPath(sp, k),
            [...path, fieldElement(k)],
            depth + 1,
          ),
        );
    }
    return out;
  }
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    const shape = walker.listShape(sp);
    const lp = shape.type === 'atomic' ? undefined : walker.elementsOf(lhs, shape);
    const rp = shape.type === 'atomic' ? undefined : walker.elementsOf(rhs, shape);
    if (lp && rp) return mergeLists(walker, lhs, lp, rhs, rp, sp, path, depth);
  }
  return withoutNulls(cloneJson(rhs));
}

/**
 * Merges keyed lists keeping both orders, as upstream: live items stay where they are, applied
 * items follow the applied order, and applied items the live list lacks come right after the
 * applied item they follow.
 */
function mergeLists(
  walker: FieldWalker,
  l: unknown[],
  lp: PathElement[],
  r: unknown[],
  rp: PathElement[],
  sp: string,
  path: FieldPath,
  depth: number,
): unknown[] {
  const lByPe = new Map<PathElement, unknown>();
  lp.forEach((pe, i) => {
    if (!lByPe.has(pe)) lByPe.set(pe, l[i]);
  });
  const rByPe = new Map<PathElement, unknown>();
  rp.forEach((pe, i) => {
    if (!rByPe.has(pe)) rByPe.set(pe, r[i]);
  });
  const lPes = [...new Set(lp)];
  const rPes = [...new Set(rp)];
  const shared = rPes.filter((pe) => lByPe.has(pe));
  const sharedIndex = new Map(shared.map((pe, i) => [pe, i]));
  let nextShared = 0;
  const done = new Set<PathElement>();
  const out: unknown[] = [];
  const emit = (pe: PathElement, lv: unknown, rv: unknown): void => {
    out.push(merge(walker, lv, rv, itemPath(sp), [...path, pe], depth + 1));
  };
  let li = 0;
  let ri = 0;
  while (li < lPes.length || ri < rPes.length) {
    if (li < lPes.length && ri < rPes.length) {
      const pe = lPes[li]!;
      if (pe === rPes[ri]) {
        done.add(pe);
        emit(pe, lByPe.get(pe), rByPe.get(pe));
        li++;
        ri++;
        nextShared = (sharedIndex.get(pe) ?? -1) + 1;
        continue;
      }
      if (rByPe.has(pe) && nextShared < shared.length && shared[nextShared] !== pe) {
        li++;
        continue;
      }
    }
    if (li < lPes.length) {
      const pe = lPes[li]!;
      if (!rByPe.has(pe)) {
        emit(pe, lByPe.get(pe), undefined);
        li++;
        continue;
      }
      if (done.has(pe)) li++;
    }
    if (ri < rPes.length) {
      const pe = rPes[ri]!;
      done.add(pe);
      emit(pe, lByPe.get(pe), rByPe.get(pe));
      ri++;
      if (shared[nextShared] === pe) nextShared++;
    }
  }
  return out;
}

/**
 * `value` without the fields in `remove`. A map that becomes empty because its last field was
 * removed goes too when `remove` reached into it (upstream makes named fields members for this).
 */
export function removeFields(walker: FieldWalker, value: unknown, remove: FieldSet): unknown {
  return strip(walker, value, remove, '', 0);
}

function strip(walker: FieldWalker, v: unknown, remove: FieldSet, sp: string, depth: number): unknown {
  checkDepth(depth, sp);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      const pe = fieldElement(k);
      if (remove.members.has(pe)) continue;
      const sub = remove.child(pe);
      if (!sub) {
        setKey(out, k, cloneJson(x));
        continue;
      }
      const kept = strip(walker, x, sub, childPath(sp, k), depth + 1);
      const emptied =
        isObject(kept) && Object.keys(kept).length === 0 && isObject(x) && Object.keys(x).length > 0;
      if (!emptied) setKey(out, k, kept);
    }
    return out;
  }
  if (Array.isArray(v)) {
    const shape = walker.listShape(sp);
    const pes = shape.type === 'atomic' ? undefined : walker.elementsOf(v, shape);
    if (!pes) return cloneJson(v);
    const out: unknown[] = [];
    pes.forEach((pe, i) => {
      if (remove.members.has(pe)) return;
      const sub = remove.child(pe);
      out.push(sub ? strip(walker, v[i], sub, itemPath(sp), depth + 1) : cloneJson(v[i]));
    });
    return out;
  }
  return v;
}
