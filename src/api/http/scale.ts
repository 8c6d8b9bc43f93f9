/**
 * The scale subresource of deployments and replicasets (autoscaling/v1 Scale): GET reads
 * spec.replicas and status, PUT and PATCH write spec.replicas back through the registry.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, conflict, methodNotAllowed, OPTIMISTIC_LOCK_MSG } from '../errors.js';
import { applyJsonMergePatch } from '../patch/json-merge-patch.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge.js';
import type { Strategy } from '../registry/strategy.js';
import { formatLabelSelector } from '../selectors/label-selector.js';
import type { KubeObject, LabelSelector, ResourceInfo } from '../types.js';
import { invalid, invalidValue } from '../validation/field.js';
import { mediaType, parseJSON, readBody } from './body.js';
import { checkFieldTypes } from './field-types.js';
import { patchMediaType } from './patch.js';
import type { ResourceRequest } from './request-info.js';
import type { ResourceHandlerDeps } from './resource-handler.js';
import { sendJSON } from './respond.js';
import { parseWriteOptions } from './write-options.js';

interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

function toScale(obj: KubeObject): Scale {
  const spec = obj.spec as { replicas?: number; selector?: LabelSelector };
  const status = obj.status as { replicas?: number } | undefined;
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name!,
      namespace: m.namespace!,
      uid: m.uid!,
      resourceVersion: m.resourceVersion!,
      creationTimestamp: m.creationTimestamp!,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: {
      replicas: status?.replicas ?? 0,
      selector: spec.selector ? formatLabelSelector(spec.selector) : '',
    },
  };
}

/** What checkFieldTypes needs to decode a body as autoscaling/v1 Scale. */
const SCALE_INFO = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as ResourceInfo;

export async function scaleSubresource(
  deps: ResourceHandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRequest,
  url: URL,
  s: Strategy,
): Promise<void> {
  const { registry } = deps;
  const current = registry.mustGet(r.resource, r.namespace, r.name).object;
  const method = req.method ?? 'GET';
  if (method === 'GET') return sendJSON(res, 200, toScale(current));
  if (method !== 'PUT' && method !== 'PATCH')
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  const w =
    method === 'PUT'
      ? parseWriteOptions(url.searchParams, 'Update')
      : parseWriteOptions(url.searchParams, 'Patch', patchMediaType(req.headers['content-type']));
  const body = await readBody(req);
  const scale = toScale(current);
  let next: Scale;
  if (method === 'PUT') {
    next = parseJSON(body, 'Scale') as Scale;
  } else {
    const patch = parseJSON(body, 'patch');
    const type = mediaType(req.headers['content-type']);
    next = (
      type === 'application/json-patch+json'
        ? applyJsonPatch(scale, patch)
        : type === 'application/merge-patch+json'
          ? applyJsonMergePatch(scale, patch)
          : applyStrategicMergePatch(scale, patch, { group: 'autoscaling', kind: 'Scale' })
    ) as Scale;
  }
  if (next === null || typeof next !== 'object') throw badRequest('the body must be a Scale object');
  // Decoded as a Scale, as upstream does: replicas beyond int32 (or of the wrong JSON type) is a 400.
  checkFieldTypes(SCALE_INFO, next as unknown as KubeObject);
  const rv = next.metadata?.resourceVersion;
  // A resourceVersion sent (in the Scale, or set by the patch) is a precondition, as for the object itself.
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(s.info, r.name, OPTIMISTIC_LOCK_MSG);
  const replicas = next.spec?.replicas;
  if (replicas === undefined || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('autoscaling', 'Scale', r.name, [
      invalidValue('spec.replicas', replicas ?? null, 'must be greater than or equal to 0'),
    ]);
  }
  const updated = structuredClone(current);
  (updated.spec as { replicas?: number }).replicas = replicas;
  const out = registry.updateIn(r.resource, r.namespace, r.name, updated, false, {
    dryRun: w.dryRun,
    fieldManager: w.fieldManager,
  });
  sendJSON(res, 200, toScale(out));
}
