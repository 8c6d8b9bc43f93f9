/**
 * `kubectl get endpointslices` columns (printers.go printEndpointSlice): Name, AddressType,
 * Ports, Endpoints, Age. The descriptions are discovery/v1beta1 EndpointSlice swagger docs,
 * as upstream's printer still cites them.
 */
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// discoveryv1beta1.EndpointSlice{}.SwaggerDoc(), v0.32.
const ADDRESS_TYPE_DOC =
  'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.';
const PORTS_DOC =
  'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.';
const ENDPOINTS_DOC =
  'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.';

/** How many entries a cell lists before "+ N more...". */
const MAX_LISTED = 3;
/** listWithMoreString's cell for an empty list. */
export const UNSET = '<unset>';

export const endpointSliceTable: TableConvertor<EndpointSlice> = {
  columns: [
    NAME_COLUMN,
    column('AddressType', 'string', ADDRESS_TYPE_DOC),
    column('Ports', 'string', PORTS_DOC),
    column('Endpoints', 'string', ENDPOINTS_DOC),
    AGE_COLUMN,
  ],
  row: (slice, now) => [
    slice.metadata?.name ?? '',
    slice.addressType ?? '',
    formatDiscoveryPorts(slice.ports),
    formatDiscoveryEndpoints(slice.endpoints),
    ageOf(slice.metadata, now),
  ],
};

/** formatDiscoveryPorts: each port's number, else its name, else "*" (a nil port means all ports). */
export function formatDiscoveryPorts(ports: readonly EndpointPort[] | undefined): string {
  const all = (ports ?? []).map((p) =>
    p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*'),
  );
  return listWithMore(all);
}

/** formatDiscoveryEndpoints: every address of every endpoint, whatever its conditions. */
export function formatDiscoveryEndpoints(endpoints: readonly Endpoint[] | undefined): string {
  return listWithMore((endpoints ?? []).flatMap((e) => e.addresses ?? []));
}

/** listWithMoreString: the first three joined by ",", then " + N more..."; "<unset>" if empty. */
function listWithMore(all: readonly string[]): string {
  const listed = all.slice(0, MAX_LISTED).join(',');
  if (all.length > MAX_LISTED) return `${listed} + ${all.length - MAX_LISTED} more...`;
  return listed === '' ? UNSET : listed;
}
