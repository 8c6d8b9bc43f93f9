/**
 * The HTTP side of `POST /api/v1/namespaces/{ns}/pods/{name}/eviction` (kubectl drain, client-go's
 * EvictV1): decodes the policy/v1 Eviction (protobuf as client-go sends it, JSON or YAML; a JSON or
 * YAML policy/v1beta1 Eviction is read the same way), checks its name against the URL, merges the
 * dryRun of the CreateOptions into its DeleteOptions as upstream's propagateDryRun, and answers
 * with the Status eviction.ts returns (201 Success). Registered under `pods/eviction`.
 */
import type { Eviction } from 'kubernetes-types/policy/v1';
import { badRequest, methodNotAllowed } from '../../errors.js';
import { parseDeleteOptions } from '../../http/delete-options.js';
import { readObject } from '../../http/read-object.js';
import type { SubresourceHandler } from '../../http/resource-handler.js';
import { sendJSON } from '../../http/respond.js';
import { parseWriteOptions } from '../../http/write-options.js';
import type { KubeObject } from '../../types.js';
import { resourceInfo } from '../define.js';
import type { Registry } from '../registry.js';
import { evictPod } from './eviction.js';

export const EVICTION_SUBRESOURCE_KEY = 'pods/eviction';

const EVICTION_INFO = resourceInfo({
  group: 'policy',
  resource: 'evictions',
  kind: 'Eviction',
  namespaced: true,
  verbs: ['create'],
});
const V1BETA1 = 'policy/v1beta1';

export function evictionHandler(registry: Registry, clock: { now(): Date }): SubresourceHandler {
  return async (req, res, r, url) => {
    if (req.method !== 'POST')
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    const w = parseWriteOptions(url.searchParams, 'Create');
    const obj = await readEviction(req, res, w.fieldValidation);
    const namespace = r.namespace ?? '';
    const name = r.name ?? '';
    if (obj.kind !== undefined && obj.kind !== 'Eviction')
      throw badRequest(
        `${obj.kind} in version "${obj.apiVersion ?? ''}" cannot be handled as a Eviction: kind mismatch, expected Eviction`,
      );
    if (obj.metadata?.namespace && obj.metadata.namespace !== namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    if ((obj.metadata?.name ?? '') !== name)
      throw badRequest('name in URL does not match name in Eviction object');
    const options = deleteOptionsOf(obj as unknown as Eviction, w.dryRun);
    const result = evictPod(registry, namespace, name, options, clock.now());
    sendJSON(res, result.code, result.status);
  };
}

async function readEviction(
  req: Parameters<SubresourceHandler>[0],
  res: Parameters<SubresourceHandler>[1],
  fv: ReturnType<typeof parseWriteOptions>['fieldValidation'],
): Promise<KubeObject> {
  // The v1beta1 Eviction has the same fields: its body is checked as a v1 one.
  const obj = await readObject(req, res, EVICTION_INFO, fv);
  if (obj.apiVersion !== undefined && obj.apiVersion !== 'policy/v1' && obj.apiVersion !== V1BETA1)
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (policy/v1)`,
    );
  return obj;
}

/** propagateDryRun, then the DeleteOptions as a DELETE body would be read (and validated). */
function deleteOptionsOf(eviction: Eviction, createDryRun: boolean) {
  const embedded = (eviction.deleteOptions ?? {}) as Record<string, unknown>;
  const embeddedDryRun = (embedded.dryRun as string[] | undefined) ?? [];
  const requestDryRun = createDryRun ? ['All'] : [];
  if (
    embeddedDryRun.length &&
    requestDryRun.length &&
    JSON.stringify(embeddedDryRun) !== JSON.stringify(requestDryRun)
  )
    throw badRequest(
      `Non-matching dry-run options in request and content: [${requestDryRun.join(' ')}] and [${embeddedDryRun.join(' ')}]`,
    );
  const merged = { ...embedded, dryRun: embeddedDryRun.length ? embeddedDryRun : requestDryRun };
  if (!merged.dryRun.length) delete (merged as { dryRun?: unknown }).dryRun;
  return parseDeleteOptions(Buffer.from(JSON.stringify(merged)), 'application/json', new URLSearchParams());
}
