/**
 * Endpoints validation, as upstream's ValidateEndpoints: each subset has addresses, each address
 * is a routable IP (not unspecified, loopback, link-local or link-local multicast), ports valid.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { EndpointAddress, EndpointPort, Endpoints } from 'kubernetes-types/core/v1';
import { validateDNS1123Label } from '../../validation/container.js';
import { validateCoreObjectMeta, validateCoreObjectMetaUpdate } from '../../validation/core-meta.js';
import { type FieldError, invalidValue, notSupported, required } from '../../validation/field.js';
import { nameIsDNSSubdomain } from '../../validation/names.js';
import { child, index } from '../../validation/path.js';
import { isValidPortNum } from '../../validation/strings.js';
import { INVALID_IP_MSG } from '../services/validation.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** Upstream's validateNonSpecialIP: endpoints must point at real pod or node addresses. */
function specialIPProblem(ip: string): string | undefined {
  const lower = ip.toLowerCase();
  if (ip === '0.0.0.0' || lower === '::') return 'may not be unspecified (0.0.0.0)';
  if ((isIPv4(ip) && ip.startsWith('127.')) || lower === '::1')
    return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
  if ((isIPv4(ip) && ip.startsWith('169.254.')) || (isIPv6(ip) && /^fe[89ab]/.test(lower))) {
    return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
  }
  if ((isIPv4(ip) && ip.startsWith('224.0.0.')) || (isIPv6(ip) && lower.startsWith('ff02:'))) {
    return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
  }
  return undefined;
}

function validateAddress(addr: EndpointAddress, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ip = addr.ip ?? '';
  if (!isIPv4(ip) && !isIPv6(ip)) errs.push(invalidValue(child(path, 'ip'), ip, INVALID_IP_MSG));
  else {
    const problem = specialIPProblem(ip);
    if (problem) errs.push(invalidValue(child(path, 'ip'), ip, problem));
  }
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
  const errs = validateCoreObjectMeta(ep.metadata, true, nameIsDNSSubdomain);
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

export function validateEndpointsUpdate(ep: Endpoints, old: Endpoints): FieldError[] {
  return [...validateCoreObjectMetaUpdate(ep.metadata, old.metadata), ...validateEndpoints(ep)];
}
