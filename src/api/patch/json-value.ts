/**
 * Shared helpers for the patch engine: what a JSON value is, deep equality and copying,
 * Go-style printing of values (upstream error messages embed Go's `%v` of maps and slices),
 * and the recursion-depth guard every walker uses because patch bodies are untrusted.
 */
import { badRequest } from '../errors.js';

export type JsonObject = { [key: string]: unknown };

/**
 * Deepest nesting a walker follows. Real objects stay far below 40 levels; this bound keeps a
 * hostile body (`[[[[...]]]]` ten thousand deep) from exhausting the stack.
 */
export const MAX_DEPTH = 256;

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws 400 when a walker is about to descend past MAX_DEPTH; `where` names the path. */
export function checkDepth(depth: number, where: string): void {
  if (depth > MAX_DEPTH) {
    throw badRequest(`patch nesting exceeds the maximum depth of ${MAX_DEPTH} at ${where || '/'}`);
  }
}

/**
 * Sets an own, enumerable key. Plain assignment of `__proto__` would call the prototype setter
 * instead of creating the key JSON.parse created, so untrusted keys always go through here.
 */
export function setKey(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Structural JSON equality (numbers by value, key order ignored). */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i], depth + 1));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k], depth + 1));
  }
  return false;
}

/** A deep copy of a JSON value, refusing nesting deeper than MAX_DEPTH. */
export function cloneJson<T>(v: T, depth = 0): T {
  checkDepth(depth, '');
  if (Array.isArray(v)) return v.map((x) => cloneJson(x, depth + 1)) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) setKey(out, k, cloneJson(x, depth + 1));
    return out as T;
  }
  return v;
}

/** The JSON type name Go's encoding/json uses in its errors: object, array, string, number, bool, null. */
export function jsonTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/**
 * Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]` (keys sorted), `[1 2]`, `<nil>`.
 * Upstream messages such as `map: map[image:x] does not contain declared merge key: name` use it.
 */
export function goValue(v: unknown, depth = 0): string {
  if (depth > 32) return '...';
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map((x) => goValue(x, depth + 1)).join(' ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goValue(v[k], depth + 1)}`).join(' ')}]`;
  }
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/** Go's %v of a float64: integers plainly, large or tiny magnitudes in e-notation. */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}
