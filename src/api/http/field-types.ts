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
 * `null` is accepted anywhere and, as Go's decoder does, leaves the zero value: a struct field set
 * to null is dropped (absent, as Go re-encodes a zero value), a null list item or map value becomes
 * its type's zero value ("" / 0 / false / {}), so `finalizers: [null]` reaches validation as `[""]`
 * and is refused there by name instead of failing a validator that expects a string. metav1.Time
 * and MicroTime must be RFC 3339 strings (or "", taken as unset); other special types (Quantity,
 * IntOrString, RawExtension, ...) take several JSON forms and are not checked here (a null one is
 * dropped like any field).
 */
import { badRequest } from '../errors.js';
import { kindSchema } from '../protobuf/kinds.js';
import type { FieldSchema } from '../protobuf/schema/index.js';
import { isRFC3339 } from '../registry/printers/timestamps.js';
import type { KubeObject, ResourceInfo } from '../types.js';
import { fieldsOf, LEAF_MESSAGES } from './field-validation.js';

const MAX_DEPTH = 64;
/** apiVersion and kind are read before decoding, not as fields of the kind's message. */
const TYPE_META: ReadonlySet<string> = new Set(['apiVersion', 'kind']);

interface Mismatch {
  jsonType: string;
  goStruct: string;
  path: string;
  goType: string;
  /** A string a metav1.Time field cannot parse. */
  badTime?: string;
}

const TIME_MESSAGES: ReadonlySet<string> = new Set(['meta.v1.Time', 'meta.v1.MicroTime']);

const GO_TYPES: Record<string, string> = {
  string: 'string',
  bool: 'bool',
  int32: 'int32',
  int64: 'int64',
  bytes: '[]uint8',
};

/**
 * How Go's decoder names a JSON value in its error. A number shows its literal ("number 80.5") when
 * the target is numeric; into any other type Go says just "number" (pass `numberLiteral` false).
 */
export function jsonTypeOf(v: unknown, numberLiteral = true): string {
  if (typeof v === 'number') return numberLiteral ? `number ${v}` : 'number';
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
    // Go decodes into the field's width: a number outside it is the same decoding error as a string
    // (replicas: 2^53 would otherwise reach the controllers as a count of pods to create).
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
    case 'int64':
      return typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63;
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

/** Go's zero value of one list item or map value of field `f`, as JSON. */
function zeroOf(f: FieldSchema): unknown {
  switch (f.type) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
      return 0;
    case 'message':
      return f.message && LEAF_MESSAGES.has(f.message) ? null : {};
    default:
      return null;
  }
}

/**
 * Checks `value` against `message` and turns its nulls into Go's zero values in place (see the
 * header); `skip` names keys left alone (apiVersion and kind at the top).
 */
function check(
  value: unknown,
  message: string,
  path: string,
  depth: number,
  skip?: ReadonlySet<string>,
): Mismatch | undefined {
  if (depth > MAX_DEPTH || LEAF_MESSAGES.has(message)) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields = fieldsOf(message);
  if (!fields) return undefined;
  const obj = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    if (skip?.has(k)) continue;
    const f = fields.get(k);
    if (!f || v === undefined) continue;
    if (v === null) {
      delete obj[k];
      continue;
    }
    const p = path ? `${path}.${k}` : k;
    const mismatch = (jsonType: string, goType = goTypeOf(f)): Mismatch => ({
      jsonType,
      goStruct: structName(message),
      path: p,
      goType,
    });
    if (f.map) {
      if (typeof v !== 'object' || Array.isArray(v)) return mismatch(jsonTypeOf(v));
      const entries = v as Record<string, unknown>;
      for (const [mk, mv] of Object.entries(entries)) {
        if (mv === null) {
          const zero = zeroOf(f);
          if (zero !== null) entries[mk] = zero;
          continue;
        }
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
    for (const [i, item] of (items as unknown[]).entries()) {
      if (item === null) {
        const zero = zeroOf(f);
        if (f.repeated && zero !== null) (v as unknown[])[i] = zero;
        continue;
      }
      if (f.type !== 'message') {
        if (!scalarOk(f.type, item)) {
          return mismatch(jsonTypeOf(item), GO_TYPES[f.type]);
        }
        continue;
      }
      if (f.message && TIME_MESSAGES.has(f.message)) {
        // metav1.Time / MicroTime decode an RFC 3339 string (or null); anything else is a decoding
        // error upstream, and stored it broke every Table of the kind (a 500 on `kubectl get`).
        if (typeof item !== 'string') return mismatch(jsonTypeOf(item), 'Time');
        if (item !== '' && !isRFC3339(item)) return { ...mismatch('string', 'Time'), badTime: item };
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

/**
 * Throws a 400 naming the first field whose JSON value has the wrong type for its kind's schema;
 * turns nulls into Go's zero values in `obj` (see the header).
 */
export function checkFieldTypes(info: ResourceInfo, obj: KubeObject): void {
  const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
  const schema = kindSchema(apiVersion, info.kind);
  if (!schema) return;
  const m = check(obj, schema.message, '', 0, TYPE_META);
  if (!m) return;
  const prefix = `${info.kind} in version "${apiVersion}" cannot be handled as a ${info.kind}`;
  if (m.badTime !== undefined) {
    throw badRequest(
      `${prefix}: parsing time ${JSON.stringify(m.badTime)} as "2006-01-02T15:04:05Z07:00" ` +
        `(Go struct field ${m.goStruct}.${m.path} of type Time): not an RFC 3339 time`,
    );
  }
  throw badRequest(
    `${prefix}: json: cannot unmarshal ${m.jsonType} into Go struct field ${m.goStruct}.${m.path} of type ${m.goType}`,
  );
}
