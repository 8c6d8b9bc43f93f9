/**
 * Serves /api/... and /apis/... resource requests: maps method + path to a registry verb,
 * decodes the body, applies fieldValidation, and shapes the answer (object, list, Table,
 * PartialObjectMetadata, watch). Subresources with their own semantics (scale, status,
 * finalize, log, exec, ...) are dispatched to their handlers from here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeleteOptions, PropagationPolicy } from '../../controllers/client.js';
import { ApiError, badRequest, methodNotAllowed, notFound } from '../errors.js';
import {
  EPHEMERAL_CONTAINERS_SUBRESOURCE,
  ephemeralContainersRegistry,
} from '../registry/pods/ephemeral-containers.js';
import type { Registry } from '../registry/registry.js';
import type { Strategy } from '../registry/strategy.js';
import type { KubeObject } from '../types.js';
import { decodeObjectBody, mediaType, parseJSON, readBody } from './body.js';
import { checkFieldTypes } from './field-types.js';
import { checkUnknownFields, type FieldValidation } from './field-validation.js';
import { applyPatchRequest } from './patch.js';
import type { ResourceRequest } from './request-info.js';
import { contentTypeFor, negotiate, sendJSON, sendRaw } from './respond.js';
import { scaleSubresource } from './scale.js';
import { buildTable, type IncludeObject, partialObjectMetadata } from './table-response.js';
import { serveWatch } from './watch.js';

/** Handles GET/POST/... on pods/{name}/{log|exec|portforward|attach}; the pod runtime provides it. */
export type SubresourceHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRequest,
  url: URL,
) => Promise<void> | void;

export interface ResourceHandlerDeps {
  registry: Registry;
  clock: { now(): Date };
  /** Subresources served outside the registry, keyed `resource/subresource` (e.g. `pods/log`). */
  subresources: Map<string, SubresourceHandler>;
  log: (msg: string) => void;
}

const bool = (v: string | null): boolean => v === 'true' || v === '1';

function writeOptions(url: URL) {
  const dryRun = url.searchParams.getAll('dryRun');
  for (const d of dryRun)
    if (d !== 'All')
      throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(d)}: supported values: "All"`);
  const fv = url.searchParams.get('fieldValidation') ?? 'Strict';
  if (!['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(
      `fieldValidation: Unsupported value: ${JSON.stringify(fv)}: supported values: "Ignore", "Strict", "Warn"`,
    );
  }
  const fieldManager = url.searchParams.get('fieldManager') ?? '';
  if (fieldManager.length > 128) throw badRequest('fieldManager: Too long: must have at most 128 bytes');
  return { dryRun: dryRun.length > 0, fieldManager, fieldValidation: fv as FieldValidation };
}

/** The object the client sent, with Strict/Warn field validation applied (warnings go to the response header). */
async function readObject(
  req: IncomingMessage,
  res: ServerResponse,
  s: Strategy,
  fv: FieldValidation,
): Promise<KubeObject> {
  const body = await readBody(req);
  const obj = decodeObjectBody(body, req.headers['content-type']);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw badRequest(
      `the request body must be a ${s.info.kind} object, not ${Array.isArray(obj) ? 'an array' : JSON.stringify(obj)}`,
    );
  }
  if (mediaType(req.headers['content-type']) !== 'application/vnd.kubernetes.protobuf') {
    checkFieldTypes(s.info, obj as KubeObject);
    checkUnknownFields(s.info, obj as KubeObject, fv, res);
  }
  const o = obj as KubeObject;
  if (
    o.metadata !== undefined &&
    (o.metadata === null || typeof o.metadata !== 'object' || Array.isArray(o.metadata))
  ) {
    throw badRequest(
      `${s.info.kind} in version "${s.info.version}" cannot be handled as a ${s.info.kind}: metadata must be an object`,
    );
  }
  return o;
}

function includeObjectParam(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object')
    throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}`);
  return v;
}

async function deleteOptions(req: IncomingMessage, url: URL): Promise<DeleteOptions & { dryRun?: boolean }> {
  const body = await readBody(req);
  const opts: DeleteOptions & { dryRun?: boolean } = {};
  let fromBody: Record<string, unknown> = {};
  if (body.length) {
    const parsed = parseJSON(body, 'DeleteOptions');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw badRequest('DeleteOptions must be an object');
    fromBody = parsed as Record<string, unknown>;
  }
  const q = url.searchParams;
  const policy = (q.get('propagationPolicy') ?? fromBody.propagationPolicy) as string | undefined;
  const orphan = q.get('orphanDependents') ?? fromBody.orphanDependents;
  if (policy !== undefined && policy !== null) {
    if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
      throw new ApiError(
        422,
        'Invalid',
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Background", "Foreground", "Orphan"`,
      );
    }
    opts.propagationPolicy = policy as PropagationPolicy;
  } else if (orphan !== undefined && orphan !== null) {
    opts.propagationPolicy = orphan === true || orphan === 'true' ? 'Orphan' : 'Background';
  }
  const grace = q.get('gracePeriodSeconds') ?? fromBody.gracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    const g = Number(grace);
    if (!Number.isInteger(g))
      throw badRequest(`gracePeriodSeconds: Invalid value: ${JSON.stringify(grace)}: must be an integer`);
    opts.gracePeriodSeconds = g;
  }
  const pre = fromBody.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  if (pre && typeof pre === 'object') opts.preconditions = pre;
  const dryRun = q.getAll('dryRun').concat((fromBody.dryRun as string[] | undefined) ?? []);
  if (dryRun.length) opts.dryRun = true;
  return opts;
}

function sendObject(
  res: ServerResponse,
  url: URL,
  req: IncomingMessage,
  s: Strategy,
  code: number,
  obj: KubeObject,
  clock: { now(): Date },
): void {
  const shape = negotiate(req.headers.accept);
  if (shape === 'Table') {
    sendJSON(
      res,
      code,
      buildTable(s, [obj], clock.now(), obj.metadata.resourceVersion ?? '', includeObjectParam(url)),
      contentTypeFor(shape, false),
    );
  } else if (shape === 'PartialObjectMetadata') {
    sendJSON(res, code, partialObjectMetadata(obj), contentTypeFor(shape, false));
  } else {
    sendJSON(res, code, obj);
  }
}

export async function handleResource(
  deps: ResourceHandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRequest,
  url: URL,
): Promise<void> {
  const { registry, clock } = deps;
  const s = registry
    .strategies()
    .find((x) => x.info.resource === r.resource && x.info.group === r.group && x.info.version === r.version);
  if (!s) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (!s.info.namespaced && r.namespace)
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const method = req.method ?? 'GET';
  const q = url.searchParams;

  if (r.subresource) {
    const external = deps.subresources.get(`${r.resource}/${r.subresource}`);
    if (external) return external(req, res, r, url);
    if (r.subresource === 'scale' && (r.resource === 'deployments' || r.resource === 'replicasets')) {
      return scaleSubresource(deps, req, res, r, url, s);
    }
    if (r.subresource === EPHEMERAL_CONTAINERS_SUBRESOURCE && r.resource === 'pods' && r.name) {
      // The Pod itself, read and written (get, update, patch) through the ephemeral-containers
      // strategy: the single-object verbs below, over that strategy's registry.
      if (method !== 'GET' && method !== 'PUT' && method !== 'PATCH')
        throw methodNotAllowed('the server does not allow this method on the requested resource');
      const sub = { ...deps, registry: ephemeralContainersRegistry(registry, clock) };
      return handleResource(sub, req, res, { ...r, subresource: '' }, url);
    }
    const statusLike =
      (r.subresource === 'status' && s.hasStatus) ||
      (r.subresource === 'finalize' && r.resource === 'namespaces');
    if (!statusLike) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
  const statusOnly = r.subresource === 'status';

  if (!r.name) {
    // Collection verbs.
    if (method === 'GET') {
      const labelSelector = q.get('labelSelector') ?? undefined;
      const fieldSelector = q.get('fieldSelector') ?? undefined;
      if (bool(q.get('watch'))) {
        const timeout = q.get('timeoutSeconds');
        return serveWatch(
          registry,
          req,
          res,
          {
            resource: r.resource,
            namespace: r.namespace,
            resourceVersion: q.get('resourceVersion'),
            ...(labelSelector ? { labelSelector } : {}),
            ...(fieldSelector ? { fieldSelector } : {}),
            ...(timeout ? { timeoutSeconds: Number(timeout) } : {}),
            allowBookmarks: bool(q.get('allowWatchBookmarks')),
            shape: negotiate(req.headers.accept),
            includeObject: includeObjectParam(url),
          },
          clock,
        );
      }
      const rv = String(registry.store.revision);
      const items = registry.listStored(r.resource, {
        namespace: r.namespace,
        ...(labelSelector ? { labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
      });
      const shape = negotiate(req.headers.accept);
      if (shape === 'Table') {
        return sendJSON(
          res,
          200,
          buildTable(
            s,
            items.map((i) => i.object),
            clock.now(),
            rv,
            includeObjectParam(url),
          ),
          contentTypeFor(shape, true),
        );
      }
      if (shape === 'PartialObjectMetadata') {
        return sendJSON(
          res,
          200,
          {
            kind: 'PartialObjectMetadataList',
            apiVersion: 'meta.k8s.io/v1',
            metadata: { resourceVersion: rv },
            items: items.map((i) => partialObjectMetadata(i.object)),
          },
          contentTypeFor(shape, true),
        );
      }
      // Lists are assembled from each object's cached JSON text: no re-encoding per request.
      const apiVersion = s.info.group ? `${s.info.group}/${s.info.version}` : s.info.version;
      const head = `{"kind":${JSON.stringify(s.info.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":"${rv}"},"items":[`;
      return sendRaw(res, 200, `${head}${items.map((i) => i.json).join(',')}]}`);
    }
    if (method === 'POST') {
      const w = writeOptions(url);
      const obj = await readObject(req, res, s, w.fieldValidation);
      const created = registry.createIn(r.resource, r.namespace, obj, w);
      return sendObject(res, url, req, s, 201, created, clock);
    }
    if (method === 'DELETE') {
      const opts = await deleteOptions(req, url);
      const labelSelector = q.get('labelSelector') ?? undefined;
      const fieldSelector = q.get('fieldSelector') ?? undefined;
      const victims = registry.listStored(r.resource, {
        namespace: r.namespace,
        ...(labelSelector ? { labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
      });
      const deleted = victims.map((v) =>
        registry.deleteIn(r.resource, v.object.metadata.namespace ?? '', v.object.metadata.name!, opts),
      );
      const apiVersion = s.info.group ? `${s.info.group}/${s.info.version}` : s.info.version;
      return sendJSON(res, 200, {
        kind: s.info.listKind,
        apiVersion,
        metadata: { resourceVersion: String(registry.store.revision) },
        items: deleted,
      });
    }
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }

  // Single-object verbs.
  switch (method) {
    case 'GET': {
      const o = registry.mustGet(r.resource, r.namespace, r.name);
      return sendObject(res, url, req, s, 200, o.object, clock);
    }
    case 'PUT': {
      const w = writeOptions(url);
      const obj = await readObject(req, res, s, w.fieldValidation);
      if (r.subresource === 'finalize') {
        // Only spec.finalizers may change through finalize; everything else stays as stored.
        const current = registry.mustGet(r.resource, r.namespace, r.name).object;
        const next = structuredClone(current);
        next.spec = {
          ...(current.spec as object),
          finalizers: (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [],
        };
        if (obj.metadata?.resourceVersion) next.metadata.resourceVersion = obj.metadata.resourceVersion;
        return sendObject(
          res,
          url,
          req,
          s,
          200,
          registry.updateIn(r.resource, r.namespace, r.name, next, false, w),
          clock,
        );
      }
      const existed = !!registry.getStored(r.resource, r.namespace, r.name);
      const updated = registry.updateIn(r.resource, r.namespace, r.name, obj, statusOnly, w);
      return sendObject(res, url, req, s, existed ? 200 : 201, updated, clock);
    }
    case 'PATCH': {
      const w = writeOptions(url);
      const body = await readBody(req);
      const { object, created } = applyPatchRequest(registry, s, r, req.headers['content-type'], body, {
        ...w,
        force: bool(q.get('force')),
        statusOnly,
        now: clock.now(),
        res,
      });
      return sendObject(res, url, req, s, created ? 201 : 200, object, clock);
    }
    case 'DELETE': {
      const opts = await deleteOptions(req, url);
      const out = registry.deleteIn(r.resource, r.namespace, r.name, opts);
      return sendObject(res, url, req, s, 200, out, clock);
    }
    default:
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
}

export { notFound };
