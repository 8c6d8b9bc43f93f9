/**
 * The `kubernetes` Service's EndpointSlice, as the API server's own endpoints reconciler writes
 * it (pkg/controlplane/reconcilers/endpointsadapter.go endpointSliceFromEndpoints): a slice
 * named like the Endpoints it mirrors, labelled only with the service name, holding the first
 * subset's ports and its ready and not-ready addresses. That Service has no selector, so the
 * pod-driven path cannot produce it; podbay's bootstrap writes the Endpoints, and this mirror
 * follows them.
 */
import type { EndpointAddress, Endpoints } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { SERVICE_NAME_LABEL } from './labels.js';

/** The one selector-less Service whose Endpoints are mirrored into a slice. */
export const MIRRORED_SERVICE = { namespace: 'default', name: 'kubernetes' } as const;

function endpointFromAddress(address: EndpointAddress, ready: boolean): Endpoint {
  const ep: Endpoint = { addresses: [address.ip], conditions: { ready } };
  if (address.targetRef) ep.targetRef = address.targetRef;
  if (address.nodeName) ep.nodeName = address.nodeName;
  return ep;
}

/** The slice mirroring `endpoints` (name, namespace, labels and contents; no server fields). */
export function sliceFromEndpoints(endpoints: Endpoints): EndpointSlice {
  const name = endpoints.metadata?.name ?? '';
  const subset = endpoints.subsets?.[0];
  const all = [...(subset?.addresses ?? []), ...(subset?.notReadyAddresses ?? [])];
  const addressType = all.length > 0 && all.every((a) => a.ip.includes(':')) ? 'IPv6' : 'IPv4';
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: endpoints.metadata?.namespace, labels: { [SERVICE_NAME_LABEL]: name } },
    addressType,
    endpoints: [
      ...(subset?.addresses ?? []).map((a) => endpointFromAddress(a, true)),
      ...(subset?.notReadyAddresses ?? []).map((a) => endpointFromAddress(a, false)),
    ],
  };
  if (subset?.ports?.length)
    slice.ports = subset.ports.map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    }));
  return slice;
}
