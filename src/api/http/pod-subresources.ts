/**
 * pods/log, exec, attach and portforward as the API server answers them before a node runs the
 * pod (pkg/registry/core/pod/strategy.go LogLocation / streamLocation): the container name is
 * validated first (after the PodLogOptions, for pods/log), then a pod without a node gets an
 * empty log stream and a 400 for the streaming subresources. Once the pod runtime serves a pod,
 * its handlers take these over.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pod } from 'kubernetes-types/core/v1';
import { badRequest, methodNotAllowed } from '../errors.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceRequest } from './request-info.js';
import type { SubresourceHandler } from './resource-handler.js';
import { parseLogOptions } from './streaming/log-options.js';

/** Upstream's validateContainer: an explicit name must exist; none is allowed only with one container. */
export function validateContainerName(pod: Pod, requested: string | null): string {
  const name = pod.metadata?.name ?? '';
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (containers.length === 1) return containers[0]!;
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
    if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw badRequest(msg);
  }
  if (![...containers, ...inits, ...ephemeral].includes(requested)) {
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  return requested;
}

export function unscheduledPodSubresources(registry: Registry): Map<string, SubresourceHandler> {
  const pod = (r: ResourceRequest) => registry.mustGet('pods', r.namespace, r.name).object as unknown as Pod;
  const log: SubresourceHandler = (req: IncomingMessage, res: ServerResponse, r, url) => {
    if (req.method !== 'GET')
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    const p = pod(r);
    // The PodLogOptions are checked as when the pod runs (log-handler.ts), bad values refused.
    parseLogOptions(url.searchParams, r.name, new Date());
    validateContainerName(p, url.searchParams.get('container'));
    // No node yet: nothing has run, so the log is empty (upstream returns no location).
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
    res.end();
  };
  const stream: SubresourceHandler = (_req, _res, r, url) => {
    const p = pod(r);
    if (url.searchParams.has('container') || r.subresource !== 'portforward') {
      validateContainerName(p, url.searchParams.get('container'));
    }
    throw badRequest(`pod ${r.name} does not have a host assigned`);
  };
  return new Map([
    ['pods/log', log],
    ['pods/exec', stream],
    ['pods/attach', stream],
    ['pods/portforward', stream],
  ]);
}
