/**
 * Service validation, as upstream's ValidateService / ValidateServiceUpdate, checks in upstream's
 * order: ports (required unless headless or ExternalName), type-specific rules, each port,
 * selector, session affinity, clusterIPs and IP families, externalIPs, type, nodePorts,
 * duplicate ports, and traffic policies. NodePort range and clusterIP allocation errors come
 * from the registry's allocator (services/allocator.ts), as upstream's come from its REST layer.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1';
import { validateDNS1123Label } from '../../validation/container.js';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import {
  duplicate,
  type FieldError,
  forbidden,
  invalidValue,
  notSupported,
  required,
} from '../../validation/field-extra.js';
import { validateIP, validateNonSpecialIP } from '../../validation/ip.js';
import { validateLabelName, validateLabels } from '../../validation/labels.js';
import { child, index } from '../../validation/path.js';
import { validatePortNumOrName } from '../../validation/probes.js';
import { isDNS1123Subdomain, isValidPortNum } from '../../validation/strings.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
/** Upstream's MaxClientIPServiceAffinitySeconds (one day). */
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

const isHeadless = (spec: ServiceSpec): boolean => spec.clusterIP === 'None';
const isExternallyAccessible = (spec: ServiceSpec): boolean =>
  spec.type === 'LoadBalancer' ||
  spec.type === 'NodePort' ||
  (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);

function validateServicePort(
  sp: ServicePort,
  requireName: boolean,
  names: Set<string>,
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
  if (sp.appProtocol !== undefined)
    errs.push(...validateLabelName(sp.appProtocol, child(path, 'appProtocol')));
  return errs;
}

function validateTypeSpecific(spec: ServiceSpec): FieldError[] {
  switch (spec.type) {
    case 'LoadBalancer':
    case 'NodePort':
      return isHeadless(spec)
        ? [
            invalidValue(
              index('spec.clusterIPs', 0),
              'None',
              `may not be set to 'None' for ${spec.type} services`,
            ),
          ]
        : [];
    case 'ExternalName': {
      const errs: FieldError[] = [];
      const notForExternalName = 'may not be set for ExternalName services';
      if (spec.clusterIPs?.length) errs.push(forbidden('spec.clusterIPs', notForExternalName));
      if (spec.ipFamilies?.length) errs.push(forbidden('spec.ipFamilies', notForExternalName));
      if (spec.ipFamilyPolicy) errs.push(forbidden('spec.ipFamilyPolicy', notForExternalName));
      // The value is a CNAME and may carry a trailing dot.
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (!cname) errs.push(required('spec.externalName', ''));
      else
        for (const msg of isDNS1123Subdomain(cname)) errs.push(invalidValue('spec.externalName', cname, msg));
      return errs;
    }
    default:
      return [];
  }
}

function validateSessionAffinity(spec: ServiceSpec): FieldError[] {
  const affinity = spec.sessionAffinity ?? '';
  if (!affinity) return [required('spec.sessionAffinity', '')];
  if (!SESSION_AFFINITIES.includes(affinity))
    return [notSupported('spec.sessionAffinity', affinity, SESSION_AFFINITIES)];
  const cfgPath = 'spec.sessionAffinityConfig';
  if (affinity === 'None') {
    return spec.sessionAffinityConfig
      ? [forbidden(cfgPath, 'must not be set when session affinity is None')]
      : [];
  }
  const when = 'when session affinity type is ClientIP';
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (!spec.sessionAffinityConfig) return [required(cfgPath, when)];
  if (!spec.sessionAffinityConfig.clientIP) return [required(`${cfgPath}.clientIP`, when)];
  if (timeout === undefined) return [required(`${cfgPath}.clientIP.timeoutSeconds`, when)];
  return timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS
    ? [
        invalidValue(
          `${cfgPath}.clientIP.timeoutSeconds`,
          timeout,
          `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`,
        ),
      ]
    : [];
}

/** ValidateServiceClusterIPsRelatedFields, for single-stack podbay: sync, values, families. */
function validateClusterIPs(spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(required('spec.clusterIPs', ''));
    else if (ips[0] !== spec.clusterIP)
      errs.push(invalidValue('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length > 0) {
    errs.push(invalidValue('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((family, i) => {
    const p = index('spec.ipFamilies', i);
    if (!IP_FAMILIES.includes(family)) errs.push(notSupported(p, family, IP_FAMILIES));
    if (seen.has(family)) errs.push(duplicate(p, family));
    seen.add(family);
  });
  if (spec.ipFamilyPolicy && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1)
        errs.push(invalidValue('spec.clusterIPs', ips, "'None' must be the first and only value"));
      return;
    }
    errs.push(...validateIP(ip, index('spec.clusterIPs', i)));
  });
  return errs;
}

function validatePortUniqueness(ports: ServicePort[]): FieldError[] {
  const errs: FieldError[] = [];
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const id = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(id)) errs.push(duplicate(child(index('spec.ports', i), 'nodePort'), p.nodePort));
    nodePorts.add(id);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const id = `${p.protocol}/${p.port}`;
    if (seen.has(id)) errs.push(duplicate(index('spec.ports', i), { protocol: p.protocol, port: p.port }));
    seen.add(id);
  });
  return errs;
}

function validateTrafficPolicies(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer') {
    errs.push(
      forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"),
    );
  }
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) {
    // Upstream's path really lacks `spec.` here.
    errs.push(required('allocateLoadBalancerNodePorts', ''));
  }
  const etp = spec.externalTrafficPolicy ?? '';
  if (!isExternallyAccessible(spec)) {
    if (etp)
      errs.push(
        invalidValue('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'),
      );
  } else if (!etp) errs.push(required('spec.externalTrafficPolicy', ''));
  else if (!TRAFFIC_POLICIES.includes(etp))
    errs.push(notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  const itp = spec.internalTrafficPolicy;
  if (!itp && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
    errs.push(required('spec.internalTrafficPolicy', ''));
  }
  if (itp && !TRAFFIC_POLICIES.includes(itp))
    errs.push(notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  const errs = validateKubeFinalizerNames(svc.metadata);
  const spec = svc.spec ?? {};
  const ports = spec.ports ?? [];
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName')
    errs.push(required('spec.ports', ''));
  errs.push(...validateTypeSpecific(spec));
  const names = new Set<string>();
  ports.forEach((sp, i) => {
    errs.push(...validateServicePort(sp, ports.length > 1, names, index('spec.ports', i)));
  });
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateSessionAffinity(spec));
  errs.push(...validateClusterIPs(spec));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    errs.push(...validateNonSpecialIP(ip, index('spec.externalIPs', i)));
  });
  const type = spec.type ?? '';
  if (!type) errs.push(required('spec.type', ''));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) {
        errs.push(
          forbidden(child(index('spec.ports', i), 'nodePort'), "may not be used when `type` is 'ClusterIP'"),
        );
      }
    });
  }
  errs.push(...validatePortUniqueness(ports));
  errs.push(...validateTrafficPolicies(spec));
  return errs;
}

/** The primary clusterIP may not change once allocated, except to or from ExternalName. */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const primary = (s: Service): string[] =>
    s.spec?.clusterIPs?.length ? s.spec.clusterIPs : s.spec?.clusterIP ? [s.spec.clusterIP] : [];
  const oldIPs = primary(old);
  const newIPs = primary(svc);
  const involvesExternalName = svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName';
  if (!involvesExternalName && oldIPs.length > 0 && oldIPs[0] !== '' && newIPs[0] !== oldIPs[0]) {
    return [invalidValue(index('spec.clusterIPs', 0), newIPs, 'may not change once set')];
  }
  return [];
}
