/**
 * Serves /api/... and /apis/... resource requests: maps method + path to a registry verb,
 * decodes the body, applies fieldValidation, and shapes the answer (object, list, Table,
 * PartialObjectMetadata, watch). Subresources with their own semantics (scale, status,
 * finalize, log, exec, ...) are dispatched to their handlers from here.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeleteOptions } from '../../controllers/client.js';
import type { UserInfo } from '../auth/user.js';
import { SUBRESOURCES } from '../discovery.js';
import { ApiError, methodNotAllowed, notFound } from '../errors.js';
import { compileFilter } from '../registry/filters.js';
import {
  EPHEMERAL_CONTAINERS_SUBRESOURCE,
  ephemeralContainersRegistry,
} from '../registry/pods/ephemeral-containers.js';
import type { Registry } from '../registry/registry.js';
import type { Strategy } from '../registry/strategy.js';
import type { KubeObject } from '../types.js';
import { invalid, invalidValue } from '../validation/field.js';
import { readBody } from './body.js';
import { parseDeleteOptions } from './delete-options.js';
import { parseListOptions } from './list-options.js';
import { applyPatchRequest, patchMediaType } from './patch.js';
import { readObject } from './read-object.js';
import type { ResourceRequest } from './request-info.js';
import { contentTypeFor, negotiate, sendJSON, sendRaw } from './respond.js';
import { scaleSubresource } from './scale.js';
import { buildTable, type IncludeObject, partialObjectMetadata } from './table-response.js';
import { findVersionView, handleVersionView } from './version-view.js';
import { serveWatch } from './watch.js';
import { parseWriteOptions } from './write-options.js';

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

/** TableOptions.includeObject, read (and validated, as upstream's ValidateTableOptions) only for a Table. */
export function includeObjectParam(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject') || 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') {
    throw invalid('meta.k8s.io', 'TableOptions', '', [
      invalidValue('includeObject', v, "must be 'Metadata', 'Object', 'None', or empty"),
    ]);
  }
  return v;
}

async function deleteOptions(req: IncomingMessage, url: URL): Promise<DeleteOptions & { dryRun?: boolean }> {
  return parseDeleteOptions(await readBody(req), req.headers['content-type'], url.searchParams);
}

export function sendObject(
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
  user?: UserInfo,
): Promise<void> {
  const { registry, clock } = deps;
  // Writes carry the requester, for the checks that depend on who asks (RBAC escalation).
  const who = user ? { user } : {};
  const s = registry
    .strategies()
    .find((x) => x.info.resource === r.resource && x.info.group === r.group && x.info.version === r.version);
  if (!s) {
    // Another served version of a stored kind (autoscaling/v1 HorizontalPodAutoscaler).
    const viewed = findVersionView(registry.strategies(), r);
    if (viewed) return handleVersionView(deps, req, res, r, url, viewed, user);
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
  if (!s.info.namespaced && r.namespace)
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const method = req.method ?? 'GET';
  const q = url.searchParams;

  if (r.subresource) {
    const external = deps.subresources.get(`${r.resource}/${r.subresource}`);
    if (external) return external(req, res, r, url);
    // The resources discovery lists with a scale subresource (autoscaling/v1 Scale).
    if (
      r.subresource === 'scale' &&
      (SUBRESOURCES[r.resource]?.some((x) => x.name === 'scale') || s.info.customSchema?.scale)
    ) {
      return scaleSubresource(deps, req, res, r, url, s);
    }
    if (r.subresource === EPHEMERAL_CONTAINERS_SUBRESOURCE && r.resource === 'pods' && r.name) {
      // The Pod itself, read and written (get, update, patch) through the ephemeral-containers
      // strategy: the single-object verbs below, over that strategy's registry.
      if (method !== 'GET' && method !== 'PUT' && method !== 'PATCH')
        throw methodNotAllowed('the server does not allow this method on the requested resource');
      const sub = { ...deps, registry: ephemeralContainersRegistry(registry, clock) };
      return handleResource(sub, req, res, { ...r, subresource: '' }, url, user);
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
      const lo = parseListOptions(q);
      const selectors = {
        ...(lo.labelSelector ? { labelSelector: lo.labelSelector } : {}),
        ...(lo.fieldSelector ? { fieldSelector: lo.fieldSelector } : {}),
      };
      if (lo.watch) {
        const shape = negotiate(req.headers.accept);
        return serveWatch(
          registry,
          req,
          res,
          {
            resource: r.resource,
            namespace: r.namespace,
            resourceVersion: lo.resourceVersion,
            ...selectors,
            ...(lo.timeoutSeconds !== undefined ? { timeoutSeconds: lo.timeoutSeconds } : {}),
            allowBookmarks: lo.allowWatchBookmarks,
            shape,
            includeObject: shape === 'Table' ? includeObjectParam(url) : 'Metadata',
          },
          clock,
        );
      }
      const rv = String(registry.store.revision);
      const items = registry.listStored(r.resource, { namespace: r.namespace, ...selectors });
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
      const w = parseWriteOptions(q, 'Create');
      const obj = await readObject(req, res, s.info, w.fieldValidation);
      const created = registry.createIn(r.resource, r.namespace, obj, { ...w, ...who });
      return sendObject(res, url, req, s, 201, created, clock);
    }
    if (method === 'DELETE') {
      // As upstream's DeleteCollection: ListOptions (the selectors) from the query, as a list reads
      // them, parsed and checked before the body is read; then DeleteOptions from the body, or from
      // the query when there is no body.
      const lo = parseListOptions(q);
      const selectors = {
        ...(lo.labelSelector ? { labelSelector: lo.labelSelector } : {}),
        ...(lo.fieldSelector ? { fieldSelector: lo.fieldSelector } : {}),
      };
      compileFilter(r.resource, selectors);
      const opts = await deleteOptions(req, url);
      const victims = registry.listStored(r.resource, { namespace: r.namespace, ...selectors });
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
      const w = parseWriteOptions(q, 'Update');
      const obj = await readObject(req, res, s.info, w.fieldValidation);
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
          registry.updateIn(r.resource, r.namespace, r.name, next, false, { ...w, ...who }),
          clock,
        );
      }
      const existed = !!registry.getStored(r.resource, r.namespace, r.name);
      const updated = registry.updateIn(r.resource, r.namespace, r.name, obj, statusOnly, { ...w, ...who });
      return sendObject(res, url, req, s, existed ? 200 : 201, updated, clock);
    }
    case 'PATCH': {
      // As upstream: an unsupported patch type (415) before the options, the options before the body.
      const w = parseWriteOptions(q, 'Patch', patchMediaType(req.headers['content-type']));
      const body = await readBody(req);
      const { object, created } = applyPatchRequest(registry, s, r, req.headers['content-type'], body, {
        ...w,
        ...who,
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
