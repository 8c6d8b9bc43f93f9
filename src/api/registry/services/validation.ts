/**
 * Service validation, as upstream's ValidateService / ValidateServiceUpdate: a DNS-1035 name,
 * ports (required unless headless or ExternalName; unique; valid numbers, names, protocols and
 * target ports), type-specific rules, and clusterIP immutable once set.
 */
import { isIP } from 'node:net';
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { validateDNS1123Label } from '../../validation/container.js';
import { validateCoreObjectMeta, validateCoreObjectMetaUpdate } from '../../validation/core-meta.js';
import {
  duplicate,
  type FieldError,
  forbidden,
  invalidValue,
  notSupported,
  required,
} from '../../validation/field-extra.js';
import { validateLabels } from '../../validation/labels.js';
import { validateServiceName } from '../../validation/names.js';
import { child, index } from '../../validation/path.js';
import { validatePortNumOrName } from '../../validation/probes.js';
import { isDNS1123Subdomain, isValidPortNum } from '../../validation/strings.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
/** The apiserver's default --service-node-port-range. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
export const INVALID_IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

const isHeadless = (svc: Service): boolean => svc.spec?.clusterIP === 'None';

function validateServicePort(
  sp: ServicePort,
  requireName: boolean,
  names: Set<string>,
  svc: Service,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(required(child(path, 'name'), ''));
  else if (sp.name) {
    errs.push(...validateDNS1123Label(sp.name, child(path, 'name')));
    if (names.has(sp.name)) errs.push(duplicate(child(path, 'name'), sp.name));
    else names.add(sp.name);
  }
  for (const msg of isValidPortNum(sp.port)) errs.push(invalidValue(child(path, 'port'), sp.port ?? 0, msg));
  if (!sp.protocol) errs.push(required(child(path, 'protocol'), ''));
  else if (!PROTOCOLS.includes(sp.protocol))
    errs.push(notSupported(child(path, 'protocol'), sp.protocol, PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort, child(path, 'targetPort')));
  if (sp.nodePort) {
    const p = child(path, 'nodePort');
    if (svc.spec?.type === 'ClusterIP') errs.push(forbidden(p, "may not be used when `type` is 'ClusterIP'"));
    else if (sp.nodePort < NODE_PORT_RANGE.min || sp.nodePort > NODE_PORT_RANGE.max) {
      // Upstream's allocator (not validation) refuses this, with this message, also as 422.
      errs.push(
        invalidValue(
          p,
          sp.nodePort,
          `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
        ),
      );
    }
  }
  return errs;
}

function validateClusterIPs(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  if (spec.clusterIP && spec.clusterIPs?.length && spec.clusterIPs[0] !== spec.clusterIP) {
    errs.push(invalidValue('spec.clusterIPs', spec.clusterIPs, 'first value must match `clusterIP`'));
  }
  ips.forEach((ip, i) => {
    const p = index('spec.clusterIPs', i);
    if (ip === 'None') {
      if (i > 0 || ips.length > 1)
        errs.push(invalidValue(p, ip, "must not have more than one value when first value is 'None'"));
      else if (spec.type !== 'ClusterIP')
        errs.push(invalidValue(p, ip, `may not be set to 'None' for ${spec.type} services`));
    } else if (ip !== '' && isIP(ip) === 0) {
      errs.push(invalidValue(p, ip, INVALID_IP_MSG));
    }
  });
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  const errs = validateCoreObjectMeta(svc.metadata, true, validateServiceName);
  const spec = svc.spec ?? {};
  const type = spec.type ?? '';
  if (!SERVICE_TYPES.includes(type)) {
    errs.push(type ? notSupported('spec.type', type, SERVICE_TYPES) : required('spec.type', ''));
  }
  const ports = spec.ports ?? [];
  if (type === 'ExternalName') {
    if (spec.clusterIP && spec.clusterIP !== '')
      errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const name = (spec.externalName ?? '').replace(/\.$/, '');
    if (!name) errs.push(required('spec.externalName', ''));
    else for (const msg of isDNS1123Subdomain(name)) errs.push(invalidValue('spec.externalName', name, msg));
  } else {
    if (ports.length === 0 && !isHeadless(svc)) errs.push(required('spec.ports', ''));
    errs.push(...validateClusterIPs(svc));
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((sp, i) => {
    const p = index('spec.ports', i);
    errs.push(...validateServicePort(sp, ports.length > 1, names, svc, p));
    const id = `${sp.port}/${sp.protocol}`;
    if (seen.has(id)) errs.push(duplicate(p, { port: sp.port, protocol: sp.protocol }));
    seen.add(id);
  });
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinity = spec.sessionAffinity ?? '';
  if (!affinity) errs.push(required('spec.sessionAffinity', ''));
  else if (!SESSION_AFFINITIES.includes(affinity))
    errs.push(notSupported('spec.sessionAffinity', affinity, SESSION_AFFINITIES));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (isIP(ip) === 0) errs.push(invalidValue(index('spec.externalIPs', i), ip, INVALID_IP_MSG));
  });
  return errs;
}

/** The primary clusterIP may not change once allocated (except to or from ExternalName). */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs = validateCoreObjectMetaUpdate(svc.metadata, old.metadata);
  const oldIPs = old.spec?.clusterIPs?.length
    ? old.spec.clusterIPs
    : old.spec?.clusterIP
      ? [old.spec.clusterIP]
      : [];
  const newIPs = svc.spec?.clusterIPs?.length
    ? svc.spec.clusterIPs
    : svc.spec?.clusterIP
      ? [svc.spec.clusterIP]
      : [];
  const involvesExternalName = svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName';
  if (!involvesExternalName && oldIPs.length > 0 && oldIPs[0] !== '' && newIPs[0] !== oldIPs[0]) {
    errs.push(invalidValue(index('spec.clusterIPs', 0), newIPs, 'may not change once set'));
  }
  errs.push(...validateService(svc));
  return errs;
}
