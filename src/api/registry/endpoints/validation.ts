/**
 * Endpoints validation, as upstream's ValidateEndpoints: each subset has addresses, each address
 * is a routable IP (not unspecified, loopback, link-local or link-local multicast), ports valid.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { EndpointAddress, EndpointPort, Endpoints } from 'kubernetes-types/core/v1';
import { validateDNS1123Label } from '../../validation/container.js';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, invalidValue, notSupported, required } from '../../validation/field.js';
import { validateNonSpecialIP } from '../../validation/ip.js';
import { nameIsDNSSubdomain } from '../../validation/names.js';
import { child, index } from '../../validation/path.js';
import { isValidPortNum } from '../../validation/strings.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateAddress(addr: EndpointAddress, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonSpecialIP(addr.ip ?? '', child(path, 'ip')));
  if (addr.hostname) errs.push(...validateDNS1123Label(addr.hostname, child(path, 'hostname')));
  if (addr.nodeName) {
    for (const msg of nameIsDNSSubdomain(addr.nodeName, false))
      errs.push(invalidValue(child(path, 'nodeName'), addr.nodeName, msg));
  }
  return errs;
}

function validatePort(port: EndpointPort, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(required(child(path, 'name'), ''));
  else if (port.name) errs.push(...validateDNS1123Label(port.name, child(path, 'name')));
  for (const msg of isValidPortNum(port.port))
    errs.push(invalidValue(child(path, 'port'), port.port ?? 0, msg));
  if (!port.protocol) errs.push(required(child(path, 'protocol'), ''));
  else if (!PROTOCOLS.includes(port.protocol))
    errs.push(notSupported(child(path, 'protocol'), port.protocol, PROTOCOLS));
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs = validateKubeFinalizerNames(ep.metadata);
  (ep.subsets ?? []).forEach((ss, i) => {
    const p = index('subsets', i);
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const [field, list] of [
      ['addresses', ss.addresses],
      ['notReadyAddresses', ss.notReadyAddresses],
    ] as const) {
      (list ?? []).forEach((a, j) => {
        errs.push(...validateAddress(a, index(child(p, field), j)));
      });
    }
    const ports = ss.ports ?? [];
    ports.forEach((port, j) => {
      errs.push(...validatePort(port, ports.length > 1, index(child(p, 'ports'), j)));
    });
  });
  return errs;
}

export function validateEndpointsUpdate(_ep: Endpoints, _old: Endpoints): FieldError[] {
  return [];
}
