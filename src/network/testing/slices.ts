/**
 * EndpointSlices for network tests, written as their producers write them: the endpoint
 * helpers give the conditions the EndpointSlice controller sets (ready pod, not-ready pod,
 * terminating pod), and `endpointSlice` labels the slice with its Service's name, which is all
 * the proxy and DNS look at to find it.
 */
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { SERVICE_NAME_LABEL } from '../endpoint-slices.js';

export interface SliceContent {
  endpoints: Endpoint[];
  ports?: EndpointPort[];
  addressType?: 'IPv4' | 'IPv6';
}

export const ready = (ip: string, hostname?: string): Endpoint => ({
  addresses: [ip],
  conditions: { ready: true, serving: true, terminating: false },
  ...(hostname ? { hostname } : {}),
});

export const notReady = (ip: string, hostname?: string): Endpoint => ({
  addresses: [ip],
  conditions: { ready: false, serving: false, terminating: false },
  ...(hostname ? { hostname } : {}),
});

/** A pod being deleted that still passes its readiness probe. */
export const terminating = (ip: string): Endpoint => ({
  addresses: [ip],
  conditions: { ready: false, serving: true, terminating: true },
});

/** A slice of `service` in `namespace`; named after the Service unless `name` is given. */
export function endpointSlice(
  namespace: string,
  service: string,
  content: SliceContent,
  name = service,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { [SERVICE_NAME_LABEL]: service } },
    addressType: content.addressType ?? 'IPv4',
    endpoints: content.endpoints,
    ...(content.ports ? { ports: content.ports } : {}),
  };
}
