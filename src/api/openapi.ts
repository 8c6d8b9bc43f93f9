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
      components: { schemas: componentSchemas(roots) },
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
