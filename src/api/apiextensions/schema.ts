/**
 * A custom object against its version's structural schema, as apiextensions-apiserver does on
 * every write: unknown fields pruned (pkg/apiserver/schema/pruning) unless
 * x-kubernetes-preserve-unknown-fields, `default`s applied (schema/defaulting), then validation
 * (kube-openapi's validate, with its messages: `spec.replicas in body should be greater than or
 * equal to 1`). apiVersion, kind and metadata are the server's: never pruned nor checked here.
 */
import type { Schema } from '../registry/customresourcedefinitions/schema-validation.js';
import {
  type FieldError,
  invalidValue,
  notSupported,
  required,
  tooLong,
  tooMany,
} from '../validation/field.js';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const ROOT_KEEP = new Set(['apiVersion', 'kind', 'metadata']);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Removes fields the schema does not declare, in place; returns their paths (for fieldValidation). */
export function prune(obj: Json, schema: Schema, root = true): string[] {
  const out: string[] = [];
  walkPrune(obj, schema, '', out, root);
  return out;
}

function walkPrune(v: Json, s: Schema | undefined, path: string, out: string[], root: boolean): void {
  if (!s) return;
  if (Array.isArray(v)) {
    if (s.items) for (const [i, x] of v.entries()) walkPrune(x, s.items, `${path}[${i}]`, out, false);
    return;
  }
  if (!isObject(v)) return;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(v)) {
    if (root && ROOT_KEEP.has(key)) continue;
    const p = join(path, key);
    const child =
      s.properties?.[key] ??
      (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (child) walkPrune(v[key], child, p, out, false);
    else if (!preserve && s.additionalProperties !== true) {
      out.push(p);
      delete v[key];
    }
  }
}

/** Sets `default` values of missing properties, in place (nested objects that exist only). */
export function applyDefaults(v: Json, s: Schema | undefined): void {
  if (!s) return;
  if (Array.isArray(v)) {
    for (const x of v) applyDefaults(x, s.items);
    return;
  }
  if (!isObject(v)) return;
  for (const [key, child] of Object.entries(s.properties ?? {})) {
    if (v[key] === undefined && child.default !== undefined) v[key] = structuredClone(child.default);
    applyDefaults(v[key], child);
  }
  if (typeof s.additionalProperties === 'object')
    for (const [key, x] of Object.entries(v))
      if (!s.properties?.[key]) applyDefaults(x, s.additionalProperties);
}

/** Go's %v of a JSON value as kube-openapi quotes it in type errors. */
const goType = (v: Json): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'object'
        ? 'object'
        : typeof v === 'number'
          ? Number.isInteger(v)
            ? 'integer'
            : 'number'
          : typeof v;

function typeOk(v: Json, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return true;
  }
}

/** Field errors of `v` against `s` (the object's root is `path` ''), in kube-openapi's words. */
export function validateValue(v: Json, s: Schema, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  walkValidate(v, s, path, errs, path === '');
  return errs;
}

function walkValidate(v: Json, s: Schema, path: string, errs: FieldError[], root: boolean): void {
  const name = path || '<root>';
  if (v === null) {
    if (s.nullable) return;
    if (s.type) errs.push(invalidValue(path, 'null', `${name} in body must be of type ${s.type}: "null"`));
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v)))
      errs.push(
        invalidValue(path, goType(v), `${name} in body must be of type integer-or-string: "${goType(v)}"`),
      );
  } else if (s.type && !typeOk(v, s.type)) {
    errs.push(invalidValue(path, goType(v), `${name} in body must be of type ${s.type}: "${goType(v)}"`));
    return;
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
    errs.push(
      notSupported(
        path,
        v,
        s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))),
      ),
    );
  if (typeof v === 'number') {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum))
      errs.push(
        invalidValue(
          path,
          v,
          `${name} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`,
        ),
      );
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum))
      errs.push(
        invalidValue(
          path,
          v,
          `${name} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`,
        ),
      );
    if (s.multipleOf !== undefined && v % s.multipleOf !== 0)
      errs.push(invalidValue(path, v, `${name} in body should be a multiple of ${s.multipleOf}`));
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (s.maxLength !== undefined && len > s.maxLength) errs.push(tooLong(path, v, s.maxLength));
    if (s.minLength !== undefined && len < s.minLength)
      errs.push(invalidValue(path, v, `${name} in body should be at least ${s.minLength} chars long`));
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v))
      errs.push(invalidValue(path, v, `${name} in body should match '${s.pattern}'`));
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(tooMany(path, v.length, s.maxItems));
    if (s.minItems !== undefined && v.length < s.minItems)
      errs.push(invalidValue(path, v.length, `${name} in body should have at least ${s.minItems} items`));
    if (s.items) for (const [i, x] of v.entries()) walkValidate(x, s.items, `${path}[${i}]`, errs, false);
  }
  if (isObject(v)) {
    for (const r of s.required ?? []) if (v[r] === undefined) errs.push(required(join(path, r)));
    const n = Object.keys(v).length;
    if (s.maxProperties !== undefined && n > s.maxProperties) errs.push(tooMany(path, n, s.maxProperties));
    if (s.minProperties !== undefined && n < s.minProperties)
      errs.push(invalidValue(path, n, `${name} in body should have at least ${s.minProperties} properties`));
    for (const [key, x] of Object.entries(v)) {
      if (root && ROOT_KEEP.has(key)) continue;
      const child =
        s.properties?.[key] ??
        (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (child) walkValidate(x, child, join(path, key), errs, false);
    }
  }
}
