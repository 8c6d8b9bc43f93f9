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

/** A custom resource's declared paths (`.spec.replicas`): the value there, or undefined. */
function atPath(obj: KubeObject, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function setPath(obj: KubeObject, path: string, value: unknown): void {
  const keys = path.split('.').slice(1);
  let cur = obj as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

type ScalePaths = NonNullable<NonNullable<ResourceInfo['customSchema']>['scale']>;

/** The Scale of a custom resource, read through the CRD's scale paths (as apiextensions-apiserver). */
function customScale(obj: KubeObject, p: ScalePaths): Scale {
  const m = obj.metadata;
  const selector = p.labelSelectorPath ? atPath(obj, p.labelSelectorPath) : undefined;
  const spec = atPath(obj, p.specReplicasPath);
  const status = atPath(obj, p.statusReplicasPath);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name!,
      ...(m.namespace && { namespace: m.namespace }),
      uid: m.uid!,
      resourceVersion: m.resourceVersion!,
      creationTimestamp: m.creationTimestamp!,
    },
    spec: { replicas: typeof spec === 'number' ? spec : 0 },
    status: {
      replicas: typeof status === 'number' ? status : 0,
      ...(typeof selector === 'string' && { selector }),
    },
  };
}

function toScale(obj: KubeObject, custom?: ScalePaths): Scale {
  if (custom) return customScale(obj, custom);
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
  const custom = s.info.customSchema?.scale;
  const current = registry.mustGet(r.resource, r.namespace, r.name).object;
  const method = req.method ?? 'GET';
  if (method === 'GET') return sendJSON(res, 200, toScale(current, custom));
  if (method !== 'PUT' && method !== 'PATCH')
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  const w =
    method === 'PUT'
      ? parseWriteOptions(url.searchParams, 'Update')
      : parseWriteOptions(url.searchParams, 'Patch', patchMediaType(req.headers['content-type']));
  const body = await readBody(req);
  const scale = toScale(current, custom);
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
  if (custom) setPath(updated, custom.specReplicasPath, replicas);
  else (updated.spec as { replicas?: number }).replicas = replicas;
  const out = registry.updateIn(r.resource, r.namespace, r.name, updated, false, {
    dryRun: w.dryRun,
    fieldManager: w.fieldManager,
  });
  sendJSON(res, 200, toScale(out, custom));
}
