/**
 * EndpointSlice validation, as upstream's pkg/apis/discovery/validation: the address type is
 * known (and immutable), every endpoint has 1..100 addresses of that type, ports have unique
 * DNS-label names and a supported protocol, and the list sizes stay under upstream's caps.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update only.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Endpoint, EndpointHints, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { validateDNS1123Label } from '../../validation/container.js';
import {
  duplicate,
  type FieldError,
  internalError,
  invalidValue,
  notSupported,
  required,
  tooMany,
} from '../../validation/field-extra.js';
import { validateNonSpecialIP } from '../../validation/ip.js';
import { validateLabels } from '../../validation/labels.js';
import { nameIsDNSSubdomain } from '../../validation/names.js';
import { validateImmutableField } from '../../validation/objectmeta.js';
import { child, index, key } from '../../validation/path.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from '../../validation/strings.js';

/** Sorted, as upstream's sets.String.List() prints them in "supported values". */
export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const;
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** Upstream's caps (validation.go): per slice, per endpoint, per hint list. */
export const MAX_ENDPOINTS = 1000;
export const MAX_ADDRESSES = 100;
export const MAX_PORTS = 20000;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ZONE_HINTS = 8;
/** corev1.LabelTopologyZone: v1 conversion moves it into `zone`, so it may never be stored. */
const TOPOLOGY_ZONE_LABEL = 'topology.kubernetes.io/zone';

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  return [
    ...validateAddressType(slice.addressType),
    ...validateEndpoints(slice.endpoints, slice.addressType),
    ...validatePorts(slice.ports),
  ];
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldError[] {
  return validateImmutableField(slice.addressType, old.addressType, 'addressType');
}

function validateAddressType(addressType: string | undefined): FieldError[] {
  if (!addressType) return [required('addressType')];
  if (!(ADDRESS_TYPES as readonly string[]).includes(addressType))
    return [notSupported('addressType', addressType, ADDRESS_TYPES)];
  return [];
}

function validateEndpoints(endpoints: readonly Endpoint[] | undefined, addressType: string): FieldError[] {
  const list = endpoints ?? [];
  if (list.length > MAX_ENDPOINTS) return [tooMany('endpoints', list.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  list.forEach((ep, i) => {
    const path = index('endpoints', i);
    const addressPath = child(path, 'addresses');
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errs.push(required(addressPath, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES)
      errs.push(tooMany(addressPath, addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) => {
      errs.push(...validateAddress(address, addressType, index(addressPath, j)));
    });
    if (ep.nodeName !== undefined) {
      for (const msg of nameIsDNSSubdomain(ep.nodeName, false))
        errs.push(invalidValue(child(path, 'nodeName'), ep.nodeName, msg));
    }
    const topologyPath = child(path, 'deprecatedTopology');
    const topology = ep.deprecatedTopology ?? {};
    if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS)
      errs.push(tooMany(topologyPath, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topology, topologyPath));
    if (Object.hasOwn(topology, TOPOLOGY_ZONE_LABEL))
      errs.push(
        internalError(key(topologyPath, TOPOLOGY_ZONE_LABEL), 'reserved key was not removed in conversion'),
      );
    if (ep.hostname !== undefined) errs.push(...validateDNS1123Label(ep.hostname, child(path, 'hostname')));
    if (ep.hints !== undefined) errs.push(...validateHints(ep.hints, child(path, 'hints')));
  });
  return errs;
}

/** Only known address types are checked; an unknown type is reported once, on addressType. */
function validateAddress(address: string, addressType: string, path: string): FieldError[] {
  switch (addressType) {
    case 'IPv4':
      return [
        ...(isIPv4(address) ? [] : [invalidValue(path, address, 'must be a valid IPv4 address')]),
        ...validateNonSpecialIP(address, path),
      ];
    case 'IPv6':
      return [
        ...(isIPv6(address) ? [] : [invalidValue(path, address, 'must be a valid IPv6 address')]),
        ...validateNonSpecialIP(address, path),
      ];
    case 'FQDN':
      return validateFQDN(address, path);
    default:
      return [];
  }
}

/** apimachinery's IsFullyQualifiedDomainName: a DNS subdomain of two or more labels (one trailing dot allowed). */
export function validateFQDN(value: string, path: string): FieldError[] {
  if (value.length === 0) return [required(path)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const subdomain = isDNS1123Subdomain(name);
  if (subdomain.length > 0) return [invalidValue(path, name, subdomain.join(','))];
  const labels = name.split('.');
  if (labels.length < 2)
    return [invalidValue(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) return [invalidValue(path, label, errs.join(','))];
  }
  return [];
}

function validateHints(hints: EndpointHints, path: string): FieldError[] {
  const zonesPath = child(path, 'forZones');
  const zones = hints.forZones ?? [];
  if (zones.length > MAX_ZONE_HINTS) return [tooMany(zonesPath, zones.length, MAX_ZONE_HINTS)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((zone, i) => {
    const namePath = child(index(zonesPath, i), 'name');
    const name = zone.name ?? '';
    if (seen.has(name)) errs.push(duplicate(namePath, name));
    else seen.add(name);
    for (const msg of isValidLabelValue(name)) errs.push(invalidValue(namePath, name, msg));
  });
  return errs;
}

function validatePorts(ports: readonly EndpointPort[] | undefined): FieldError[] {
  const list = ports ?? [];
  if (list.length > MAX_PORTS) return [tooMany('ports', list.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((port, i) => {
    const path = index('ports', i);
    // Defaulting made the name "" when absent (defaults.ts).
    const name = port.name ?? '';
    if (name.length > 0) errs.push(...validateDNS1123Label(name, child(path, 'name')));
    if (names.has(name)) errs.push(duplicate(child(path, 'name'), name));
    else names.add(name);
    if (port.protocol === undefined) errs.push(required(child(path, 'protocol')));
    else if (!PORT_PROTOCOLS.includes(port.protocol))
      errs.push(notSupported(child(path, 'protocol'), port.protocol, PORT_PROTOCOLS));
    if (port.appProtocol !== undefined) {
      for (const msg of isQualifiedName(port.appProtocol))
        errs.push(invalidValue(child(path, 'appProtocol'), port.appProtocol, msg));
    }
  });
  return errs;
}
