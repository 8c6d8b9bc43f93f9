/**
 * A Service's endpoints, merged from all of its EndpointSlices, as the node's two readers see
 * them: kube-proxy's EndpointSliceCache (pkg/proxy/endpointslicecache.go, endpoints.go) for the
 * service proxy, and CoreDNS's kubernetes plugin (object/endpoint.go) for headless records.
 * Pure: slices in, plain values out, so every merge rule is table-testable.
 *
 * Contracts (upstream's):
 *  - a slice belongs to the Service named by its `kubernetes.io/service-name` label, whoever
 *    wrote it (the EndpointSlice controller, the mirroring controller, or a user); a slice
 *    without that label belongs to no Service;
 *  - slices are read in name order, so the same objects always give the same result;
 *  - a Service port takes, from every slice, the slice port with its name and protocol (name
 *    absent = "", protocol absent = TCP, as the API defaults them); that port number is the
 *    resolved targetPort, which is how named targetPorts work without reading pods;
 *  - conditions: ready absent = true, serving absent = true, terminating absent = false;
 *  - the same address and port listed twice (in one slice or two) is one endpoint; the first
 *    one read wins;
 *  - only the first address of an endpoint is used by the proxy (they are fungible); DNS
 *    publishes each.
 */
import { isIP } from 'node:net';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1';

/** discovery.LabelServiceName. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServicePortEndpoint {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** `<namespace>/<name>` of a Service, or of the Service a slice belongs to. */
export const serviceKey = (namespace: string | undefined, name: string | undefined): string =>
  `${namespace ?? ''}/${name ?? ''}`;

/** The slices of every Service, keyed by serviceKey, each list in slice-name order. */
export function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = serviceKey(slice.metadata?.namespace, service);
    const list = out.get(key) ?? [];
    list.push(slice);
    out.set(key, list);
  }
  for (const list of out.values())
    list.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return out;
}

export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** The conditions with upstream's reading of absent values. */
export function conditionsOf(ep: Endpoint): EndpointConditions {
  const c = ep.conditions ?? {};
  return { ready: c.ready ?? true, serving: c.serving ?? true, terminating: c.terminating ?? false };
}

const protocolOf = (p: string | undefined): string => (p ?? 'TCP').toUpperCase();

/**
 * Every endpoint of one Service port across the Service's slices (endpointInfoByServicePort
 * and addEndpoints), of one IP family, deduplicated by address and port, in reading order.
 */
export function servicePortEndpoints(
  slices: readonly EndpointSlice[],
  portName: string,
  protocol: string,
  family: 4 | 6,
): ServicePortEndpoint[] {
  const byTarget = new Map<string, ServicePortEndpoint>();
  for (const slice of slices) {
    for (const port of slice.ports ?? []) {
      if ((port.name ?? '') !== portName || protocolOf(port.protocol) !== protocolOf(protocol)) continue;
      if (!port.port) continue; // a slice port without a number carries nothing to proxy to
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses?.[0];
        if (!ip || isIP(ip) !== family) continue;
        const target = `${ip}:${port.port}`;
        if (!byTarget.has(target)) byTarget.set(target, { ip, port: port.port, ...conditionsOf(ep) });
      }
    }
  }
  return [...byTarget.values()];
}

/**
 * The endpoints traffic goes to (CategorizeEndpoints for cluster traffic): the ready ones; when
 * none is ready, the ones still serving while terminating, so connections in a rollout that
 * terminates every pod at once are not refused while the old pods can still answer (KEP-1669).
 */
export function usableEndpoints<T extends EndpointConditions>(endpoints: readonly T[]): T[] {
  const ready = endpoints.filter((e) => e.ready);
  return ready.length > 0 ? ready : endpoints.filter((e) => e.serving && e.terminating);
}
