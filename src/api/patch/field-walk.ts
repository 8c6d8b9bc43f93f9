/**
 * Schema-driven walks that turn objects into field sets, as structured-merge-diff does:
 * `toFieldSet` (the fields an apply configuration specifies) and `compareObjects` (which fields
 * an update added, modified or removed). The schema is merge-schema.ts: lists are atomic unless
 * a row declares `listType: set|map`; maps are tracked per key unless declared atomic.
 */
import { badRequest } from '../errors.js';
import {
  type FieldPath,
  FieldSet,
  fieldElement,
  keyElement,
  type PathElement,
  pathString,
  valueElement,
} from './field-set.js';
import { checkDepth, isObject, jsonEqual } from './json-value.js';
import { childPath, itemPath, type MergeSchema } from './merge-schema.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** How list items are identified at one schema path. */
interface ListShape {
  type: 'atomic' | 'set' | 'map';
  keys: readonly string[];
  defaults: Readonly<Record<string, unknown>>;
}

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';
const own = (m: Record<string, unknown>, k: string): unknown => (Object.hasOwn(m, k) ? m[k] : undefined);

export class FieldWalker {
  constructor(readonly schema: MergeSchema) {}

  listShape(schemaPath: string): ListShape {
    const rule = this.schema.rule(schemaPath);
    return {
      type: rule?.listType ?? 'atomic',
      keys: rule?.listMapKeys ?? [],
      defaults: rule?.listMapKeyDefaults ?? {},
    };
  }

  isAtomicMap(schemaPath: string): boolean {
    return !!this.schema.rule(schemaPath)?.atomic;
  }

  /** The path element naming `item` in a list of `shape`, or undefined when it cannot be named. */
  elementOf(item: unknown, shape: ListShape): PathElement | undefined {
    if (shape.type === 'set') return isScalar(item) ? valueElement(item) : undefined;
    if (!isObject(item)) return undefined;
    const fields: Record<string, unknown> = {};
    for (const k of shape.keys) {
      const v = Object.hasOwn(item, k) ? item[k] : shape.defaults[k];
      if (v === undefined || !isScalar(v)) return undefined;
      fields[k] = v;
    }
    return keyElement(fields);
  }

  /** Path elements of every item, or undefined when some item cannot be named (then: atomic). */
  elementsOf(list: readonly unknown[], shape: ListShape): PathElement[] | undefined {
    const out: PathElement[] = [];
    for (const item of list) {
      const pe = this.elementOf(item, shape);
      if (pe === undefined) return undefined;
      out.push(pe);
    }
    return out;
  }

  /**
   * The fields an apply configuration sets. `strict` (apply configurations) refuses list items
   * that omit their key fields, as upstream refuses them; live objects fall back to atomic lists.
   */
  toFieldSet(value: unknown, strict: boolean): FieldSet {
    const set = new FieldSet();
    this.collect(value, '', [], set, strict, 0);
    return set;
  }

  private collect(
    v: unknown,
    sp: string,
    path: FieldPath,
    set: FieldSet,
    strict: boolean,
    depth: number,
  ): void {
    checkDepth(depth, pathString(path));
    if (isObject(v)) {
      if (path.length > 0 && this.isAtomicMap(sp)) {
        set.insert(path);
        return;
      }
      for (const [k, child] of Object.entries(v)) {
        const childAt = [...path, fieldElement(k)];
        this.collect(child, childPath(sp, k), childAt, set, strict, depth + 1);
        if (child === null || (isObject(child) && Object.keys(child).length === 0)) set.insert(childAt);
      }
      return;
    }
    if (!Array.isArray(v)) {
      set.insert(path);
      return;
    }
    const shape = this.listShape(sp);
    const pes = shape.type === 'atomic' ? undefined : this.elementsOf(v, shape);
    if (pes === undefined) {
      if (strict && shape.type === 'map') throw missingKey(v, shape, path);
      set.insert(path);
      return;
    }
    const seen = new Set<PathElement>();
    const duplicated = new Set<PathElement>();
    for (const pe of pes) (seen.has(pe) ? duplicated : seen).add(pe);
    pes.forEach((pe, i) => {
      const at = [...path, pe];
      set.insert(at);
      if (!duplicated.has(pe)) this.collect(v[i], itemPath(sp), at, set, strict, depth + 1);
    });
  }

  /** Fields added, modified and removed going from `lhs` to `rhs` (upstream TypedValue.Compare). */
  compareObjects(lhs: unknown, rhs: unknown): Comparison {
    const cmp: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
    this.compare(lhs, rhs, '', [], cmp, 0);
    return cmp;
  }

  private compare(
    lhs: unknown,
    rhs: unknown,
    sp: string,
    path: FieldPath,
    cmp: Comparison,
    depth: number,
  ): void {
    checkDepth(depth, pathString(path));
    const leaf = (): void => {
      if (lhs === undefined) cmp.added.insert(path);
      else if (rhs === undefined) cmp.removed.insert(path);
      else if (!jsonEqual(lhs, rhs)) cmp.modified.insert(path);
    };
    const both = lhs !== undefined && rhs !== undefined;
    const mapLike =
      (isObject(lhs) || lhs === undefined) &&
      (isObject(rhs) || rhs === undefined) &&
      (isObject(lhs) || isObject(rhs));
    const listLike =
      (Array.isArray(lhs) || lhs === undefined) &&
      (Array.isArray(rhs) || rhs === undefined) &&
      (Array.isArray(lhs) || Array.isArray(rhs));
    if (mapLike) {
      const l = (lhs ?? {}) as Record<string, unknown>;
      const r = (rhs ?? {}) as Record<string, unknown>;
      if (
        (path.length > 0 && this.isAtomicMap(sp)) ||
        (Object.keys(l).length === 0 && Object.keys(r).length === 0)
      ) {
        leaf();
        return;
      }
      for (const k of new Set([...Object.keys(l), ...Object.keys(r)])) {
        this.compare(own(l, k), own(r, k), childPath(sp, k), [...path, fieldElement(k)], cmp, depth + 1);
      }
    } else if (listLike) {
      const l = (lhs ?? []) as unknown[];
      const r = (rhs ?? []) as unknown[];
      const shape = this.listShape(sp);
      const lp = shape.type === 'atomic' ? undefined : this.elementsOf(l, shape);
      const rp = shape.type === 'atomic' ? undefined : this.elementsOf(r, shape);
      if (!lp || !rp || (l.length === 0 && r.length === 0)) {
        leaf();
        return;
      }
      this.compareItems(l, lp, r, rp, sp, path, cmp, depth);
    } else {
      leaf();
      return;
    }
    if (!both && path.length > 0) (lhs === undefined ? cmp.added : cmp.removed).insert(path);
  }

  private compareItems(
    l: unknown[],
    lp: PathElement[],
    r: unknown[],
    rp: PathElement[],
    sp: string,
    path: FieldPath,
    cmp: Comparison,
    depth: number,
  ): void {
    const group = (items: unknown[], pes: PathElement[]): Map<PathElement, unknown[]> => {
      const m = new Map<PathElement, unknown[]>();
      pes.forEach((pe, i) => {
        m.set(pe, [...(m.get(pe) ?? []), items[i]]);
      });
      return m;
    };
    const lm = group(l, lp);
    const rm = group(r, rp);
    for (const pe of new Set([...lp, ...rp])) {
      const ls = lm.get(pe) ?? [];
      const rs = rm.get(pe) ?? [];
      const at = [...path, pe];
      if (ls.length <= 1 && rs.length <= 1) this.compare(ls[0], rs[0], itemPath(sp), at, cmp, depth + 1);
      else if (ls.length >= 2 && rs.length >= 2) {
        if (!jsonEqual(ls, rs)) cmp.modified.insert(at);
      } else if (ls.length >= 2) cmp.removed.insert(at);
      else cmp.added.insert(at);
    }
  }
}

function missingKey(
  list: unknown[],
  shape: { keys: readonly string[]; defaults: Readonly<Record<string, unknown>> },
  path: FieldPath,
) {
  const i = list.findIndex(
    (item) => !isObject(item) || shape.keys.some((k) => !Object.hasOwn(item, k) && !(k in shape.defaults)),
  );
  const item = list[i];
  const key = isObject(item)
    ? shape.keys.find((k) => !Object.hasOwn(item, k) && !(k in shape.defaults))
    : undefined;
  const why = key
    ? `associative list with keys has an element that omits key field ${JSON.stringify(key)} (and doesn't have default value)`
    : 'associative list with keys has an element that is not a map';
  return badRequest(`${pathString(path) || '.'}: element ${i}: ${why}`);
}
