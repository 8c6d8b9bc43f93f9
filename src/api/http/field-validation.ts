/**
 * Unknown-field detection for `fieldValidation` (Strict, the kubectl default; Warn; Ignore),
 * as kube-apiserver's strict decoding does. The schema is the protobuf message table (one
 * source of truth for every field name a kind has): an object key that no field of its message
 * declares is unknown. Values of special types (Time, Quantity, IntOrString, RawExtension,
 * FieldsV1) are leaves.
 *
 *   Strict → 400 `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"`
 *   Warn   → `Warning: 299 - "unknown field \"spec.foo\""` header (kubectl prints it), object accepted
 *   Ignore → nothing
 */
import type { ServerResponse } from 'node:http';
import { badRequest } from '../errors.js';
import { kindSchema } from '../protobuf/kinds.js';
import { type FieldSchema, MESSAGES } from '../protobuf/schema/index.js';
import { SPECIAL_TYPES } from '../protobuf/special-types.js';
import type { KubeObject, ResourceInfo } from '../types.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Messages whose JSON is free-form or not an object of their fields. */
export const LEAF_MESSAGES = new Set([
  ...Object.keys(SPECIAL_TYPES),
  'runtime.RawExtension',
  'meta.v1.FieldsV1',
  'runtime.Unknown',
]);
const MAX_REPORTED = 20;
const MAX_DEPTH = 64;

const byJsonName = new Map<string, Map<string, FieldSchema>>();

/** json name → field for one message, with `inline` messages' fields merged in. */
export function fieldsOf(message: string): Map<string, FieldSchema> | undefined {
  const cached = byJsonName.get(message);
  if (cached) return cached;
  const schema = MESSAGES[message];
  if (!schema) return undefined;
  const out = new Map<string, FieldSchema>();
  for (const f of Object.values(schema)) {
    if (f.inline && f.message) for (const [k, v] of fieldsOf(f.message) ?? []) out.set(k, v);
    else out.set(f.json, f);
  }
  byJsonName.set(message, out);
  return out;
}

function walk(
  value: unknown,
  message: string,
  path: string,
  out: string[],
  patch: boolean,
  depth: number,
): void {
  if (out.length >= MAX_REPORTED || depth > MAX_DEPTH || LEAF_MESSAGES.has(message)) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const fields = fieldsOf(message);
  if (!fields) return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (patch && k.startsWith('$')) continue; // strategic-merge directives
    const f = fields.get(k);
    const p = path ? `${path}.${k}` : k;
    if (!f) {
      out.push(p);
      continue;
    }
    if (f.type !== 'message' || !f.message || v === null) continue;
    if (f.map) {
      if (v && typeof v === 'object')
        for (const [mk, mv] of Object.entries(v)) walk(mv, f.message, `${p}[${mk}]`, out, patch, depth + 1);
    } else if (f.repeated) {
      if (Array.isArray(v)) {
        for (const [i, item] of v.entries()) walk(item, f.message, `${p}[${i}]`, out, patch, depth + 1);
      }
    } else {
      walk(v, f.message, p, out, patch, depth + 1);
    }
  }
}

/** The unknown field paths in `obj` for this resource's kind (empty when all are known). */
export function unknownFields(info: ResourceInfo, obj: KubeObject, patch = false): string[] {
  const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
  if (info.customSchema) return info.customSchema.unknownFields(obj);
  const schema = kindSchema(apiVersion, info.kind);
  if (!schema) return [];
  const out: string[] = [];
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  walk(rest, schema.message, '', out, patch, 0);
  return out;
}

export function checkUnknownFields(
  info: ResourceInfo,
  obj: KubeObject,
  mode: FieldValidation,
  res: ServerResponse,
  patch = false,
): void {
  if (mode === 'Ignore') return;
  const unknown = unknownFields(info, obj, patch);
  if (unknown.length === 0) return;
  const msgs = unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode === 'Strict') {
    const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
    throw badRequest(
      `${info.kind} in version "${apiVersion}" cannot be handled as a ${info.kind}: strict decoding error: ${msgs.join(', ')}`,
    );
  }
  const prior = res.getHeader('Warning');
  const warnings = [
    ...(Array.isArray(prior) ? prior : prior ? [String(prior)] : []),
    ...msgs.map((m) => `299 - ${JSON.stringify(m)}`),
  ];
  res.setHeader('Warning', warnings);
}
