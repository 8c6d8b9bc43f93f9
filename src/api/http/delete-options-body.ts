/**
 * The DeleteOptions in a DELETE body (one object or a collection), decoded as kube-apiserver's
 * DeleteResource and DeleteCollection decode them (staging/src/k8s.io/apiserver/pkg/endpoints/
 * handlers/delete.go):
 *  1. the input serializer comes from Content-Type (body.ts inputFormat: JSON, YAML or protobuf,
 *     anything else a 415);
 *  2. the meta.k8s.io internal-version scheme decodes the body with meta.k8s.io/v1 DeleteOptions as
 *     the default kind, so apiVersion and kind may be left out;
 *  3. that scheme registers DeleteOptions unversioned, so it decodes under any apiVersion (kubectl
 *     sends `v1` whatever it deletes); another kind the scheme knows (Status, GetOptions, ...) has
 *     no conversion to DeleteOptions, and any other kind is not registered in it;
 *  4. a field of the wrong JSON type fails as Go's decoder fails: the struct holding it, its JSON
 *     path and its Go type. Unknown fields are ignored (the decoder is not strict).
 * Every failure is a 400 BadRequest carrying the decoder's message, as kubernetes#133358 made it
 * (v1.35). 1.32 answered them with a 500, which podbay never answers for what a client sends.
 * Malformed JSON, YAML and protobuf keep podbay's messages (body.ts, protobuf/), which name where.
 */
import { badRequest } from '../errors.js';
import { decodeEnvelope } from '../protobuf/envelope.js';
import { decodeMessage } from '../protobuf/message-decoder.js';
import { inputFormat, parseJSON, parseYAML } from './body.js';
import { jsonTypeOf } from './field-types.js';

/** The DeleteOptions fields a body carried, in their JSON form (absent fields absent). */
export type DeleteOptionsFields = Readonly<Record<string, unknown>>;

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const META_GROUP = 'meta.k8s.io';
const INTERNAL_VERSION = '__internal';
const DEFAULT_KIND: GroupVersionKind = { group: META_GROUP, version: 'v1', kind: 'DeleteOptions' };
/** How the scheme names itself in errors: the call site of its runtime.NewScheme(). */
const SCHEME_NAME = 'pkg/apis/meta/internalversion/scheme/register.go:27';

/**
 * Kinds the scheme finds by kind alone, under any group version (AddUnversionedTypes in
 * meta/internalversion/register.go and metav1.AddToGroupVersion), with the Go type each decodes into.
 */
const UNVERSIONED_KINDS: Readonly<Record<string, string>> = {
  DeleteOptions: 'v1.DeleteOptions',
  CreateOptions: 'v1.CreateOptions',
  UpdateOptions: 'v1.UpdateOptions',
  Status: 'v1.Status',
  APIVersions: 'v1.APIVersions',
  APIGroupList: 'v1.APIGroupList',
  APIGroup: 'v1.APIGroup',
  APIResourceList: 'v1.APIResourceList',
};

/** The other kinds the scheme knows, each under meta.k8s.io versions only: `version/kind` → Go type. */
const META_KINDS: Readonly<Record<string, string>> = {
  '__internal/ListOptions': 'internalversion.ListOptions',
  '__internal/GetOptions': 'v1.GetOptions',
  '__internal/Table': 'v1.Table',
  '__internal/TableOptions': 'v1.TableOptions',
  '__internal/PartialObjectMetadata': 'v1.PartialObjectMetadata',
  '__internal/PartialObjectMetadataList': 'v1beta1.PartialObjectMetadataList',
  '__internal/WatchEvent': 'v1.InternalEvent',
  'v1beta1/Table': 'v1.Table',
  'v1beta1/TableOptions': 'v1.TableOptions',
  'v1beta1/PartialObjectMetadata': 'v1.PartialObjectMetadata',
  'v1beta1/PartialObjectMetadataList': 'v1beta1.PartialObjectMetadataList',
  'v1/Table': 'v1.Table',
  'v1/TableOptions': 'v1.TableOptions',
  'v1/PartialObjectMetadata': 'v1.PartialObjectMetadata',
  'v1/PartialObjectMetadataList': 'v1.PartialObjectMetadataList',
  'v1/WatchEvent': 'v1.WatchEvent',
  'v1/ListOptions': 'v1.ListOptions',
  'v1/GetOptions': 'v1.GetOptions',
  'v1/PatchOptions': 'v1.PatchOptions',
};

/** A Go type as the JSON decoder sees it: the JSON value it takes and the name its errors print. */
interface GoType {
  readonly name: string;
  readonly json: 'string' | 'bool' | 'int64' | 'array' | 'object';
  readonly items?: GoType;
  /** Structs: the name errors inside them print, and their fields by JSON name. */
  readonly struct?: string;
  readonly fields?: Readonly<Record<string, GoType>>;
}

const STRING: GoType = { name: 'string', json: 'string' };
const BOOL: GoType = { name: 'bool', json: 'bool' };

/** metav1.DeleteOptions (pointer fields are their element type: the decoder allocates, then stores). */
const DELETE_OPTIONS: GoType = {
  name: 'v1.DeleteOptions',
  json: 'object',
  struct: 'DeleteOptions',
  fields: {
    kind: STRING,
    apiVersion: STRING,
    gracePeriodSeconds: { name: 'int64', json: 'int64' },
    preconditions: {
      name: 'v1.Preconditions',
      json: 'object',
      struct: 'Preconditions',
      fields: { uid: { name: 'types.UID', json: 'string' }, resourceVersion: STRING },
    },
    orphanDependents: BOOL,
    propagationPolicy: { name: 'v1.DeletionPropagation', json: 'string' },
    dryRun: { name: '[]string', json: 'array', items: STRING },
    ignoreStoreReadErrorWithClusterBreakingPotential: BOOL,
  },
};

/** The type json.SimpleMetaFactory.Interpret reads apiVersion and kind into, as reflect prints it. */
const FIND_KIND_TYPE =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/**
 * Decodes a non-empty DELETE body. Throws 415 for an unsupported Content-Type and 400 for anything
 * the decoder refuses; returns the fields (`{}` for a JSON or YAML `null`).
 */
export function decodeDeleteOptionsBody(body: Buffer, contentType: string | undefined): DeleteOptionsFields {
  const format = inputFormat(contentType);
  if (format === 'protobuf') return decodeProtobuf(body);
  const value = format === 'json' ? parseJSON(body, 'DeleteOptions') : parseYAML(body);
  const gvk = withDefaults(interpret(value), DEFAULT_KIND);
  if (gvk.version === '') {
    throw badRequest(`Object 'apiVersion' is missing in '${body.toString('utf8')}'`);
  }
  checkDecodable(gvk);
  if (value === null) return {};
  const mismatch = fieldMismatch(value as Record<string, unknown>, DELETE_OPTIONS, []);
  if (mismatch) throw badRequest(mismatch);
  return value as DeleteOptionsFields;
}

function decodeProtobuf(body: Buffer): DeleteOptionsFields {
  const env = decodeEnvelope(body);
  // runtime.Unknown's GroupVersionKind(): an apiVersion that does not parse counts as none; then
  // the protobuf serializer's copyKindDefaults, which takes the default version when none is set.
  let gv: { group: string; version: string };
  try {
    gv = parseGroupVersion(env.apiVersion);
  } catch {
    gv = { group: '', version: '' };
  }
  const gvk = { ...gv, kind: env.kind || DEFAULT_KIND.kind };
  if (gvk.version === '') Object.assign(gvk, { group: DEFAULT_KIND.group, version: DEFAULT_KIND.version });
  checkDecodable(gvk);
  return decodeMessage(body, 'meta.v1.DeleteOptions', env.rawStart, env.rawEnd, 'DeleteOptions');
}

/** apiVersion and kind, read as json.SimpleMetaFactory.Interpret reads them (encoding/json: keys match case-insensitively). */
function interpret(value: unknown): GroupVersionKind {
  const fail = (detail: string) => badRequest(`couldn't get version/kind; json parse error: ${detail}`);
  const meta = { apiVersion: '', kind: '' };
  if (value === null) return { group: '', version: '', kind: '' };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw fail(`json: cannot unmarshal ${jsonTypeOf(value, false)} into Go value of type ${FIND_KIND_TYPE}`);
  }
  for (const [key, v] of Object.entries(value)) {
    const lower = key.toLowerCase();
    const field = lower === 'apiversion' ? 'apiVersion' : lower === 'kind' ? 'kind' : undefined;
    if (!field || v === null) continue;
    if (typeof v !== 'string') {
      throw fail(
        `json: cannot unmarshal ${jsonTypeOf(v, false)} into Go struct field .${field} of type string`,
      );
    }
    meta[field] = v;
  }
  return { ...parseGroupVersion(meta.apiVersion), kind: meta.kind };
}

/** schema.ParseGroupVersion. */
function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  throw badRequest(`unexpected GroupVersion string: ${gv}`);
}

/** The JSON serializer's gvkWithDefaults. */
function withDefaults(actual: GroupVersionKind, defaults: GroupVersionKind): GroupVersionKind {
  const out = { ...actual };
  if (out.kind === '') out.kind = defaults.kind;
  if (out.version === '' && out.group === '') {
    out.group = defaults.group;
    out.version = defaults.version;
  }
  if (out.version === '' && out.group === defaults.group) out.version = defaults.version;
  return out;
}

/**
 * Throws unless `gvk` decodes into DeleteOptions: runtime.UseOrCreateObject (scheme.New) for a kind
 * the scheme does not know, the versioning codec's conversion for one it does.
 */
function checkDecodable(gvk: GroupVersionKind): void {
  const goType =
    (gvk.group === META_GROUP && Object.hasOwn(META_KINDS, `${gvk.version}/${gvk.kind}`)
      ? META_KINDS[`${gvk.version}/${gvk.kind}`]
      : undefined) ?? (Object.hasOwn(UNVERSIONED_KINDS, gvk.kind) ? UNVERSIONED_KINDS[gvk.kind] : undefined);
  if (goType === DELETE_OPTIONS.name) return;
  if (goType) throw badRequest(`converting (${goType}) to (${DELETE_OPTIONS.name}): unknown conversion`);
  const kind = JSON.stringify(gvk.kind);
  if (gvk.version === INTERNAL_VERSION) {
    throw badRequest(
      `no kind ${kind} is registered for the internal version of group ${JSON.stringify(gvk.group)} in scheme "${SCHEME_NAME}"`,
    );
  }
  const gv = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
  throw badRequest(
    `no kind ${kind} is registered for version ${JSON.stringify(gv)} in scheme "${SCHEME_NAME}"`,
  );
}

function fits(v: unknown, t: GoType): boolean {
  switch (t.json) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'int64':
      return typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63;
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
  }
}

/**
 * The first field (in document order, as Go reports it) whose value the struct's field cannot hold,
 * as Go's UnmarshalTypeError: `json: cannot unmarshal string into Go struct field
 * DeleteOptions.dryRun of type []string`. null fits anything (it leaves the zero value).
 */
function fieldMismatch(
  obj: Record<string, unknown>,
  struct: GoType,
  path: readonly string[],
): string | undefined {
  for (const [key, v] of Object.entries(obj)) {
    const field = struct.fields && Object.hasOwn(struct.fields, key) ? struct.fields[key] : undefined;
    if (!field || v === null) continue;
    const at = [...path, key];
    const error = (value: unknown, t: GoType) =>
      `json: cannot unmarshal ${jsonTypeOf(value, t.json === 'int64')} into Go struct field ${struct.struct}.${at.join('.')} of type ${t.name}`;
    if (!fits(v, field)) return error(v, field);
    if (field.items) {
      const bad = (v as unknown[]).find((item) => item !== null && !fits(item, field.items!));
      if (bad !== undefined) return error(bad, field.items);
    }
    if (field.fields) {
      const inner = fieldMismatch(v as Record<string, unknown>, field, at);
      if (inner) return inner;
    }
  }
  return undefined;
}
