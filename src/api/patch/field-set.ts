/**
 * Field sets for managedFields, as structured-merge-diff's fieldpath.Set: a trie of path
 * elements where a node may itself be a member. Serialized as FieldsV1 JSON:
 * `{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{}}}}}`, where `.`
 * marks a node that is a member and also has children.
 *
 * Path elements, by their FieldsV1 spelling: `f:<field>`, `k:<json object of key fields,
 * sorted>` (items of map lists), `v:<json value>` (items of set lists), `i:<index>`.
 */
import { badRequest } from '../errors.js';
import { isObject, type JsonObject, MAX_DEPTH } from './json-value.js';

/** One path element in its FieldsV1 spelling. */
export type PathElement = string;
export type FieldPath = readonly PathElement[];

export const fieldElement = (name: string): PathElement => `f:${name}`;
export const valueElement = (value: unknown): PathElement => `v:${JSON.stringify(value)}`;
export function keyElement(fields: Readonly<Record<string, unknown>>): PathElement {
  const sorted: JsonObject = {};
  for (const k of Object.keys(fields).sort()) sorted[k] = fields[k];
  return `k:${JSON.stringify(sorted)}`;
}

/** The text upstream prints for a path in conflicts: `.spec.containers[name="app"].image`. */
export function pathString(path: FieldPath): string {
  return path.map(elementString).join('');
}

function elementString(pe: PathElement): string {
  const body = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case 'f:':
      return `.${body}`;
    case 'k:': {
      let fields: unknown;
      try {
        fields = JSON.parse(body);
      } catch {
        return `[${body}]`;
      }
      if (!isObject(fields)) return `[${body}]`;
      return `[${Object.entries(fields)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    }
    case 'v:':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}

const TYPE_ORDER: Record<string, number> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };
/** Upstream orders fields, then keys, then values, then indices. */
function compareElements(a: string, b: string): number {
  const ta = TYPE_ORDER[a.slice(0, 2)] ?? 4;
  const tb = TYPE_ORDER[b.slice(0, 2)] ?? 4;
  if (ta !== tb) return ta - tb;
  if (ta === 3) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();

  insert(path: FieldPath): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      const pe = path[i]!;
      let child = node.children.get(pe);
      if (!child) {
        child = new FieldSet();
        node.children.set(pe, child);
      }
      node = child;
    }
    node.members.add(path[path.length - 1]!);
  }

  has(path: FieldPath): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]!);
    return !!node && path.length > 0 && node.members.has(path[path.length - 1]!);
  }

  /** The subtree under `pe` (children only), if any. */
  child(pe: PathElement): FieldSet | undefined {
    return this.children.get(pe);
  }

  isEmpty(): boolean {
    return this.members.size === 0 && [...this.children.values()].every((c) => c.isEmpty());
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    out.addAll(other);
    return out;
  }

  private addAll(other: FieldSet): void {
    for (const m of other.members) this.members.add(m);
    for (const [pe, c] of other.children) {
      let mine = this.children.get(pe);
      if (!mine) {
        mine = new FieldSet();
        this.children.set(pe, mine);
      }
      mine.addAll(c);
    }
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      const d = o ? c.difference(o) : c.copy();
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.isEmpty()) out.children.set(pe, i);
    }
    return out;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [pe, c] of this.children) out.children.set(pe, c.copy());
    return out;
  }

  /** Every member path, in FieldsV1 order. */
  paths(prefix: FieldPath = []): FieldPath[] {
    const out: FieldPath[] = [];
    for (const pe of this.sortedElements()) {
      if (this.members.has(pe)) out.push([...prefix, pe]);
      const c = this.children.get(pe);
      if (c) out.push(...c.paths([...prefix, pe]));
    }
    return out;
  }

  private sortedElements(): PathElement[] {
    return [...new Set([...this.members, ...this.children.keys()])].sort(compareElements);
  }

  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    for (const pe of this.sortedElements()) {
      const c = this.children.get(pe);
      if (c && !c.isEmpty()) {
        const sub = c.toFieldsV1();
        out[pe] = this.members.has(pe) ? { '.': {}, ...sub } : sub;
      } else if (this.members.has(pe)) {
        out[pe] = {};
      }
    }
    return out;
  }

  /** Parses FieldsV1 JSON; throws 400 naming the offending key when it is malformed. */
  static fromFieldsV1(json: unknown, where = 'metadata.managedFields', depth = 0): FieldSet {
    if (depth > MAX_DEPTH) throw badRequest(`${where}: fieldsV1 nesting exceeds ${MAX_DEPTH}`);
    if (!isObject(json)) throw badRequest(`${where}: fieldsV1 must be an object`);
    const set = new FieldSet();
    for (const [pe, sub] of Object.entries(json)) {
      if (pe === '.') continue;
      if (!/^[fkvi]:/.test(pe) || !isObject(sub))
        throw badRequest(`${where}: invalid fieldsV1 key ${JSON.stringify(pe)}`);
      if (Object.keys(sub).length === 0 || Object.hasOwn(sub, '.')) set.members.add(pe);
      const rest = Object.keys(sub).filter((k) => k !== '.');
      if (rest.length > 0) set.children.set(pe, FieldSet.fromFieldsV1(sub, where, depth + 1));
    }
    return set;
  }
}
