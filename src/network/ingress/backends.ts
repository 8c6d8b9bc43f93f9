/**
 * Where a routed request goes: an Ingress backend resolved to the ready endpoints of its
 * Service port, from the same Services and EndpointSlices the service proxy reads (the node's
 * shared mirror). Pure: objects in, addresses out.
 *
 * As ingress-nginx resolves upstreams: the Service is looked up in the Ingress's namespace; the
 * backend's port is a Service port, by number (`port`) or by name; the endpoints are that
 * Service port's slice endpoints (whose port is the resolved targetPort, named targetPorts
 * included), ready ones, or serving-terminating ones when none is ready. A missing Service, a
 * port the Service lacks, an ExternalName Service, a resource backend or no endpoint leaves no
 * upstream: the proxy answers 503, as ingress-nginx does.
 */
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { IngressBackend } from 'kubernetes-types/networking/v1';
import { serviceKey, servicePortEndpoints, slicesByService, usableEndpoints } from '../endpoint-slices.js';

export interface Upstream {
  ip: string;
  port: number;
}

export type Resolution = { upstreams: Upstream[] } | { problem: string };

/** The Services and their slices, indexed once per change of the mirror. */
export interface BackendIndex {
  services: Map<string, Service>;
  slices: Map<string, EndpointSlice[]>;
}

export function indexBackends(services: readonly Service[], slices: readonly EndpointSlice[]): BackendIndex {
  return {
    services: new Map(services.map((s) => [serviceKey(s.metadata?.namespace, s.metadata?.name), s])),
    slices: slicesByService(slices),
  };
}

export function resolveBackend(index: BackendIndex, namespace: string, backend: IngressBackend): Resolution {
  const ref = backend.service;
  if (!ref) return { problem: 'resource backends are not served by podbay' };
  const key = serviceKey(namespace, ref.name);
  const svc = index.services.get(key);
  if (!svc) return { problem: `service ${key} not found` };
  if (svc.spec?.type === 'ExternalName') return { problem: `service ${key} is of type ExternalName` };
  const want = ref.port ?? {};
  const port = (svc.spec?.ports ?? []).find((p) =>
    want.name ? p.name === want.name : want.number !== undefined && p.port === want.number,
  );
  if (!port) return { problem: `service ${key} has no port ${want.name ?? want.number}` };
  const endpoints = usableEndpoints(
    servicePortEndpoints(index.slices.get(key) ?? [], port.name ?? '', port.protocol ?? 'TCP', 4),
  );
  if (endpoints.length === 0) return { problem: `service ${key} has no ready endpoints` };
  return { upstreams: endpoints.map((e) => ({ ip: e.ip, port: e.port })) };
}
