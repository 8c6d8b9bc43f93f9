/**
 * JSON type checking of request bodies against the kind's schema (the protobuf message table,
 * walked with field-validation.ts's fieldsOf): kube-apiserver decodes a body into Go structs, so a
 * value of the wrong JSON type is a decoding error whatever `fieldValidation` says, e.g. a
 * container named `yes` in YAML (a boolean):
 *
 *   400 `Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal bool into Go
 *        struct field Container.spec.containers.name of type string`
 *
 * (Go's message names the struct holding the field and the JSON path without indices.) Without
 * this, a wrong type reached the strategies, which assume the declared types, and failed there.
 * `null` is accepted anywhere (Go leaves the zero value). Special types (Time, Quantity,
 * IntOrString, RawExtension, ...) take several JSON forms and are not checked here.
 */
import { badRequest } from '../errors.js';
import { kindSchema } from '../protobuf/kinds.js';
import type { FieldSchema } from '../protobuf/schema/index.js';
import type { KubeObject, ResourceInfo } from '../types.js';
import { fieldsOf, LEAF_MESSAGES } from './field-validation.js';

const MAX_DEPTH = 64;

interface Mismatch {
  jsonType: string;
  goStruct: string;
  path: string;
  goType: string;
}

const GO_TYPES: Record<string, string> = {
  string: 'string',
  bool: 'bool',
  int32: 'int32',
  int64: 'int64',
  bytes: '[]uint8',
};

function jsonTypeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

function scalarOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'string':
    case 'bytes':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'int32':
    case 'int64':
      return typeof v === 'number' && Number.isInteger(v);
    default:
      return true;
  }
}

const structName = (message: string) => message.slice(message.lastIndexOf('.') + 1);

function goTypeOf(f: FieldSchema): string {
  const base = f.type === 'message' ? structName(f.message ?? '') : (GO_TYPES[f.type] ?? f.type);
  if (f.map) return `map[string]${base}`;
  return f.repeated ? `[]${base}` : base;
}

function check(value: unknown, message: string, path: string, depth: number): Mismatch | undefined {
  if (depth > MAX_DEPTH || LEAF_MESSAGES.has(message)) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields = fieldsOf(message);
  if (!fields) return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const f = fields.get(k);
    if (!f || v === null || v === undefined) continue;
    const p = path ? `${path}.${k}` : k;
    const mismatch = (jsonType: string, goType = goTypeOf(f)): Mismatch => ({
      jsonType,
      goStruct: structName(message),
      path: p,
      goType,
    });
    if (f.map) {
      if (typeof v !== 'object' || Array.isArray(v)) return mismatch(jsonTypeOf(v));
      for (const mv of Object.values(v as Record<string, unknown>)) {
        if (mv === null) continue;
        if (f.type !== 'message' && !scalarOk(f.type, mv)) return mismatch(jsonTypeOf(mv), GO_TYPES[f.type]);
        if (f.type === 'message' && f.message) {
          const inner = check(mv, f.message, p, depth + 1);
          if (inner) return inner;
        }
      }
      continue;
    }
    const items = f.repeated ? v : [v];
    if (f.repeated && !Array.isArray(v)) return mismatch(jsonTypeOf(v));
    for (const item of items as unknown[]) {
      if (item === null) continue;
      if (f.type !== 'message') {
        if (!scalarOk(f.type, item)) {
          return mismatch(typeof item === 'number' ? 'number' : jsonTypeOf(item), GO_TYPES[f.type]);
        }
        continue;
      }
      if (!f.message || LEAF_MESSAGES.has(f.message)) continue;
      if (typeof item !== 'object' || Array.isArray(item)) {
        return mismatch(jsonTypeOf(item), structName(f.message));
      }
      const inner = check(item, f.message, p, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Throws a 400 naming the first field whose JSON value has the wrong type for its kind's schema. */
export function checkFieldTypes(info: ResourceInfo, obj: KubeObject): void {
  const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
  const schema = kindSchema(apiVersion, info.kind);
  if (!schema) return;
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const m = check(rest, schema.message, '', 0);
  if (!m) return;
  throw badRequest(
    `${info.kind} in version "${apiVersion}" cannot be handled as a ${info.kind}: json: cannot unmarshal ` +
      `${m.jsonType} into Go struct field ${m.goStruct}.${m.path} of type ${m.goType}`,
  );
}
