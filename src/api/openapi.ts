/**
 * OpenAPI v3, one document per group-version, for two kubectl features:
 *  - `kubectl apply` (default --validate=strict) looks up the PATCH operation of each object's kind and,
 *    finding the `fieldValidation` parameter, leaves validation to the server (`?fieldValidation=Strict`),
 *    which checks unknown fields itself (src/api/http/field-validation.ts). No requestBody is declared on
 *    purpose: kubectl then builds strategic merge patches from its compiled-in types, which are exactly
 *    right for built-in kinds.
 *  - `kubectl explain` reads the kinds' component schemas (./openapi/schemas.ts): every field with its
 *    type, description and -required- mark, as a cluster's API server publishes them.
 * GV documents are addressed by a content hash, as upstream does, so kubectl's cache stays valid.
 */
import { createHash } from 'node:crypto';
import { componentSchemas, type SchemaRoot } from './openapi/schemas.js';
import { kindSchema } from './protobuf/kinds.js';
import { apiVersionOf, type ResourceInfo } from './types.js';

export interface OpenAPIDocs {
  root: string;
  /** `api/v1`, `apis/apps/v1` → serialised document. */
  byPath: Map<string, { body: string; hash: string }>;
}

/** The metadata every custom resource has, as apiextensions-apiserver adds it to the CRD's schema. */
const OBJECT_META_DOC =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/**
 * Custom resources' component schemas (apiextensions-apiserver's builder): the version's
 * openAPIV3Schema with apiVersion, kind and metadata added, named `<reversed group>.<version>.<Kind>`.
 */
function customSchemas(list: readonly ResourceInfo[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of list) {
    if (!r.customSchema) continue;
    const s = structuredClone(r.customSchema.openAPIV3Schema) as { properties?: Record<string, unknown> };
    const name = `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
    out[name] = {
      ...s,
      properties: {
        apiVersion: {
          type: 'string',
          description:
            'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
        },
        kind: {
          type: 'string',
          description:
            'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
        },
        metadata: { type: 'object', description: OBJECT_META_DOC },
        ...s.properties,
      },
      'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }],
    };
  }
  return out;
}

export function buildOpenAPI(resources: readonly ResourceInfo[], serverVersion: string): OpenAPIDocs {
  const byGV = new Map<string, ResourceInfo[]>();
  for (const r of resources) {
    const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
    byGV.set(key, [...(byGV.get(key) ?? []), r]);
  }
  const byPath = new Map<string, { body: string; hash: string }>();
  for (const [gvPath, list] of byGV) {
    const paths: Record<string, unknown> = {};
    const roots: SchemaRoot[] = [];
    for (const r of list) {
      const message = kindSchema(apiVersionOf(r), r.kind)?.message;
      if (message) roots.push({ message, group: r.group, version: r.version, kind: r.kind });
      const base = `/${gvPath}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}/{name}`;
      const gvk = { group: r.group, version: r.version, kind: r.kind };
      const params = [
        { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
      ];
      paths[base] = {
        patch: {
          operationId: `patch${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': gvk,
          parameters: params,
          responses: { '200': { description: 'OK' }, '201': { description: 'Created' } },
        },
      };
    }
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: serverVersion },
      paths,
      components: { schemas: { ...componentSchemas(roots), ...customSchemas(list) } },
    };
    const body = JSON.stringify(doc);
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
    byPath.set(gvPath, { body, hash });
  }
  const root = JSON.stringify({
    paths: Object.fromEntries(
      [...byPath.entries()].map(([p, d]) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${d.hash}` }]),
    ),
  });
  return { root, byPath };
}
