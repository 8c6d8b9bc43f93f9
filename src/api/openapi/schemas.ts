/**
 * OpenAPI v3 component schemas for the kinds podbay serves, in upstream's shape, so `kubectl explain`
 * works: types, nesting, lists and maps come from the protobuf schema tables (the same facts the decoder
 * uses, generated from k8s.io/api), descriptions and required fields from ./docs (generated from
 * k8s.io/api's swagger docs). Shape details kubectl's explain templates rely on, as kube-openapi writes
 * them: a field that refers to another type is `allOf: [{$ref}]` beside its own description; Quantity
 * and IntOrString have no `type` (explain then shows their names), Time is a date-time string.
 */
import { MESSAGES } from '../protobuf/schema/index.js';
import type { FieldSchema } from '../protobuf/schema/types.js';
import { DOCS } from './docs/index.js';

export type Schema = { readonly [key: string]: unknown };

/** Short package prefix of the tables → upstream's Go package path, which names OpenAPI schemas. */
const PACKAGE_PATHS: Readonly<Record<string, string>> = {
  core: 'io.k8s.api.core',
  apps: 'io.k8s.api.apps',
  autoscaling: 'io.k8s.api.autoscaling',
  authentication: 'io.k8s.api.authentication',
  authorization: 'io.k8s.api.authorization',
  batch: 'io.k8s.api.batch',
  discovery: 'io.k8s.api.discovery',
  coordination: 'io.k8s.api.coordination',
  rbac: 'io.k8s.api.rbac',
  networking: 'io.k8s.api.networking',
  meta: 'io.k8s.apimachinery.pkg.apis.meta',
  resource: 'io.k8s.apimachinery.pkg.api.resource',
  intstr: 'io.k8s.apimachinery.pkg.util.intstr',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
};

/** `core.v1.Pod` → `io.k8s.api.core.v1.Pod`. */
export function openAPIName(message: string): string {
  const dot = message.indexOf('.');
  const path = PACKAGE_PATHS[message.slice(0, dot)];
  if (!path) throw new Error(`no OpenAPI package for ${message}`);
  return `${path}${message.slice(dot)}`;
}

const ref = (message: string): Schema => ({ $ref: `#/components/schemas/${openAPIName(message)}` });

/** Messages whose JSON form is not an object of fields (../protobuf/special-types.ts decodes them). */
const SPECIAL: Readonly<Record<string, Schema>> = {
  'meta.v1.Time': { type: 'string', format: 'date-time' },
  'meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'meta.v1.FieldsV1': { type: 'object' },
  'runtime.RawExtension': { type: 'object' },
  'resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
  'intstr.IntOrString': { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  'authentication.v1.ExtraValue': { type: 'array', items: { type: 'string', default: '' } },
  'authorization.v1.ExtraValue': { type: 'array', items: { type: 'string', default: '' } },
};
/** Named Go slices: kube-openapi writes their schema where they are used, not as a component. */
const INLINE = new Set(['authentication.v1.ExtraValue', 'authorization.v1.ExtraValue']);

function scalar(f: FieldSchema): Schema {
  switch (f.type) {
    case 'string':
      return { type: 'string' };
    case 'bytes':
      return { type: 'string', format: 'byte' };
    case 'bool':
      return { type: 'boolean' };
    case 'int32':
      return { type: 'integer', format: 'int32' };
    case 'int64':
      return { type: 'integer', format: 'int64' };
    default:
      throw new Error(`not a scalar field: ${f.json}`);
  }
}

/** One property: a scalar, a reference, or a list or map of either. */
function property(f: FieldSchema, description: string | undefined, values?: readonly string[]): Schema {
  const described = description ? { description } : {};
  if (f.type !== 'message') {
    const item = values ? { ...scalar(f), enum: values } : scalar(f);
    if (f.repeated) return { ...described, type: 'array', items: item };
    if (f.map) return { ...described, type: 'object', additionalProperties: item };
    return { ...described, ...item };
  }
  const target = f.message!;
  const inline = INLINE.has(target) ? SPECIAL[target] : undefined;
  if (inline && f.map) return { ...described, type: 'object', additionalProperties: inline };
  if (inline) return { ...described, ...inline };
  if (f.repeated) return { ...described, type: 'array', items: ref(target) };
  if (f.map) return { ...described, type: 'object', additionalProperties: ref(target) };
  return { allOf: [ref(target)], ...described };
}

/** Properties and required names of a message, inline members' merged in (Go `json:",inline"`). */
function collect(
  message: string,
  properties: Record<string, Schema>,
  required: string[],
  refs: Set<string>,
): void {
  const table = MESSAGES[message];
  if (!table) throw new Error(`no protobuf table for ${message}`);
  const docs = DOCS[message];
  if (docs?.typeMeta) {
    const typeMeta = DOCS['meta.v1.TypeMeta']?.fields ?? {};
    for (const name of ['apiVersion', 'kind'])
      properties[name] = { ...(typeMeta[name] && { description: typeMeta[name] }), type: 'string' };
  }
  for (const f of Object.values(table)) {
    if (f.inline && f.message) {
      collect(f.message, properties, required, refs);
      continue;
    }
    if (f.message && !INLINE.has(f.message)) refs.add(f.message);
    properties[f.json] = property(f, docs?.fields[f.json], docs?.enums?.[f.json]);
  }
  for (const name of docs?.required ?? [])
    if (!required.includes(name) && name in properties) required.push(name);
}

function messageSchema(message: string, refs: Set<string>): Schema {
  const description = DOCS[message]?.doc;
  const described = description ? { description } : {};
  const special = SPECIAL[message];
  if (special) return { ...described, ...special };
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  collect(message, properties, required, refs);
  const sorted = Object.fromEntries(Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    ...described,
    properties: sorted,
    ...(required.length > 0 && { required }),
    type: 'object',
  };
}

export interface SchemaRoot {
  /** Table key of the kind's message (`core.v1.Pod`). */
  readonly message: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/**
 * The `components.schemas` of one group-version document: its kinds (marked with
 * `x-kubernetes-group-version-kind`, which is how kubectl explain finds them) and every schema they reach.
 */
export function componentSchemas(roots: readonly SchemaRoot[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const gvks = new Map<string, { group: string; kind: string; version: string }[]>();
  for (const r of roots) {
    gvks.set(r.message, [
      ...(gvks.get(r.message) ?? []),
      { group: r.group, kind: r.kind, version: r.version },
    ]);
  }
  const queue = [...gvks.keys()];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const message = queue.pop()!;
    if (seen.has(message)) continue;
    seen.add(message);
    const refs = new Set<string>();
    const schema = messageSchema(message, refs);
    const gvk = gvks.get(message);
    out[openAPIName(message)] = gvk ? { ...schema, 'x-kubernetes-group-version-kind': gvk } : schema;
    queue.push(...refs);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
