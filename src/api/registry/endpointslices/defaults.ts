/**
 * EndpointSlice defaulting, as discovery/v1 SetDefaults_EndpointPort: a port's name defaults to
 * "" (so it is stored, and validation can compare names) and its protocol to TCP.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';

export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const port of slice.ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}
