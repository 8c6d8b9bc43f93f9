/**
 * Requests for a second served version of a stored kind (autoscaling/v1 HorizontalPodAutoscaler;
 * v2 is stored): each object is converted from the stored version on the way out and to it on the
 * way in, as kube-apiserver converts between a resource's versions. Everything else — defaults,
 * validation, admission, conflicts, watch order — is the stored kind's, through the same registry.
 *
 * A patch is applied to the object in the requested version (a v1 merge patch of
 * spec.targetCPUUtilizationPercentage means what it says in v1), then converted back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../auth/user.js';
import { ApiError, methodNotAllowed } from '../errors.js';
import { compileFilter } from '../registry/filters.js';
import type { Strategy, VersionView } from '../registry/strategy.js';
import { setTypeMeta } from '../registry/type-meta.js';
import { apiVersionOf, type KubeObject } from '../types.js';
import { readBody } from './body.js';
import { parseDeleteOptions } from './delete-options.js';
import { parseListOptions } from './list-options.js';
import { applyPatchRequest, type PatchTarget, patchMediaType } from './patch.js';
import { readObject } from './read-object.js';
import type { ResourceRequest } from './request-info.js';
import type { ResourceHandlerDeps } from './resource-handler.js';
import { includeObjectParam, sendObject } from './resource-handler.js';
import { contentTypeFor, negotiate, sendJSON, sendRaw } from './respond.js';
import { buildTable, partialObjectMetadata } from './table-response.js';
import { serveWatch } from './watch.js';
import { parseWriteOptions } from './write-options.js';

export interface ViewedResource {
  /** The stored kind's strategy. */
  stored: Strategy;
  view: VersionView;
}

export function findVersionView(
  strategies: readonly Strategy[],
  r: ResourceRequest,
): ViewedResource | undefined {
  for (const s of strategies) {
    const view = s.versions?.find(
      (v) => v.info.resource === r.resource && v.info.group === r.group && v.info.version === r.version,
    );
    if (view) return { stored: s, view };
  }
  return undefined;
}

export async function handleVersionView(
  deps: ResourceHandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRequest,
  url: URL,
  { stored: s, view }: ViewedResource,
  user?: UserInfo,
): Promise<void> {
  const { registry, clock } = deps;
  const who = user ? { user } : {};
  if (!s.info.namespaced && r.namespace)
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (r.subresource && !(r.subresource === 'status' && s.hasStatus))
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const statusOnly = r.subresource === 'status';
  const method = req.method ?? 'GET';
  const q = url.searchParams;
  // The stored kind's strategy presenting the requested version (Tables are the same in every version).
  const vs: Strategy = { ...s, info: view.info };
  const out = (o: KubeObject): KubeObject => view.fromStored(o);
  const into = (o: KubeObject): KubeObject => {
    setTypeMeta(view.info, o);
    return view.toStored(o);
  };
  // The object shapes kubectl asked for: a Table's cells and metadata come from the stored object
  // as they are (they are the same in every version), an embedded object is converted.
  const send = (code: number, o: KubeObject): void => {
    const shape = negotiate(req.headers.accept);
    if (shape === 'Table') {
      const table = buildTable(
        s,
        [o],
        clock.now(),
        o.metadata.resourceVersion ?? '',
        includeObjectParam(url),
        true,
        out,
      );
      sendJSON(res, code, table, contentTypeFor(shape, false));
    } else {
      sendObject(res, url, req, s, code, shape === 'object' ? out(o) : o, clock);
    }
  };
  const apiVersion = apiVersionOf(view.info);

  if (!r.name) {
    const lo = parseListOptions(q);
    const selectors = {
      ...(lo.labelSelector ? { labelSelector: lo.labelSelector } : {}),
      ...(lo.fieldSelector ? { fieldSelector: lo.fieldSelector } : {}),
    };
    if (method === 'GET') {
      const shape = negotiate(req.headers.accept);
      if (lo.watch) {
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
            view,
          },
          clock,
        );
      }
      const rv = String(registry.store.revision);
      const items = registry
        .listStored(r.resource, { namespace: r.namespace, ...selectors })
        .map((i) => i.object);
      if (shape === 'Table')
        return sendJSON(
          res,
          200,
          buildTable(s, items, clock.now(), rv, includeObjectParam(url), true, out),
          contentTypeFor(shape, true),
        );
      if (shape === 'PartialObjectMetadata') {
        const body = {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { resourceVersion: rv },
          items: items.map(partialObjectMetadata),
        };
        return sendJSON(res, 200, body, contentTypeFor(shape, true));
      }
      const head = `{"kind":${JSON.stringify(view.info.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":"${rv}"},"items":[`;
      return sendRaw(res, 200, `${head}${items.map((o) => JSON.stringify(out(o))).join(',')}]}`);
    }
    if (method === 'POST') {
      const w = parseWriteOptions(q, 'Create');
      const obj = into(await readObject(req, res, view.info, w.fieldValidation));
      return send(201, registry.createIn(r.resource, r.namespace, obj, { ...w, ...who }));
    }
    if (method === 'DELETE') {
      compileFilter(r.resource, selectors);
      const opts = await parseDeleteOptions(await readBody(req), req.headers['content-type'], q);
      const victims = registry.listStored(r.resource, { namespace: r.namespace, ...selectors });
      const deleted = victims.map((v) =>
        out(registry.deleteIn(r.resource, v.object.metadata.namespace ?? '', v.object.metadata.name!, opts)),
      );
      return sendJSON(res, 200, {
        kind: view.info.listKind,
        apiVersion,
        metadata: { resourceVersion: String(registry.store.revision) },
        items: deleted,
      });
    }
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  }

  switch (method) {
    case 'GET':
      return send(200, registry.mustGet(r.resource, r.namespace, r.name).object);
    case 'PUT': {
      const w = parseWriteOptions(q, 'Update');
      const obj = into(await readObject(req, res, view.info, w.fieldValidation));
      const existed = !!registry.getStored(r.resource, r.namespace, r.name);
      const updated = registry.updateIn(r.resource, r.namespace, r.name, obj, statusOnly, { ...w, ...who });
      return send(existed ? 200 : 201, updated);
    }
    case 'PATCH': {
      const w = parseWriteOptions(q, 'Patch', patchMediaType(req.headers['content-type']));
      const body = await readBody(req);
      // The patch sees and returns objects in the requested version; the stored result is answered.
      let written: KubeObject | undefined;
      const keep = (o: KubeObject): KubeObject => {
        written = o;
        return out(o);
      };
      const target: PatchTarget = {
        getStored: (resource, namespace, name) => {
          const o = registry.getStored(resource, namespace, name);
          if (!o) return undefined;
          const object = out(o.object);
          return { ...o, object, json: JSON.stringify(object) };
        },
        createIn: (resource, namespace, obj, opts) =>
          keep(registry.createIn(resource, namespace, into(obj), opts)),
        updateIn: (resource, namespace, name, obj, so, opts) =>
          keep(registry.updateIn(resource, namespace, name, into(obj), so, opts)),
      };
      const { created } = applyPatchRequest(target, vs, r, req.headers['content-type'], body, {
        ...w,
        ...who,
        statusOnly,
        now: clock.now(),
        res,
      });
      return send(created ? 201 : 200, written!);
    }
    case 'DELETE': {
      const opts = await parseDeleteOptions(await readBody(req), req.headers['content-type'], q);
      return send(200, registry.deleteIn(r.resource, r.namespace, r.name, opts));
    }
    default:
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
}
