/**
 * Ingress validation, as upstream's ValidateIngressCreate / ValidateIngressUpdate /
 * ValidateIngressStatusUpdate (pkg/apis/networking/validation/validation.go, 1.32): a
 * defaultBackend or rules; hosts are DNS subdomains (or `*.` wildcards), never IPs; each HTTP
 * path has a pathType (Exact and Prefix paths are absolute and clean); a backend is a Service
 * (name and one of port name or number) or a resource, not both; TLS hosts and secret names;
 * ingressClassName; status addresses. The registry checks ObjectMeta.
 */
import { isIP } from 'node:net';
import type {
  HTTPIngressPath,
  Ingress,
  IngressBackend,
  IngressLoadBalancerStatus,
  IngressRule,
  IngressSpec,
} from 'kubernetes-types/networking/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, invalidValue, notSupported, required } from '../../validation/field.js';
import { INVALID_IP_MSG } from '../../validation/ip.js';
import { nameIsDNSSubdomain, validatePathSegmentName, validateServiceName } from '../../validation/names.js';
import { child, index } from '../../validation/path.js';
import {
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from '../../validation/strings.js';

/** The deprecated annotation that named a class before spec.ingressClassName. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

/** netutils.ParseIPSloppy: an IP address, IPv4 octets with leading zeros included. */
export const isSloppyIP = (s: string): boolean =>
  isIP(s) !== 0 || /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s);

interface Options {
  /** An update may keep a Secret name that was already invalid (allowInvalidSecretName). */
  allowInvalidSecretName: boolean;
  /** An update may keep invalid rules under a wildcard host (allowInvalidWildcardHostRule). */
  allowInvalidWildcardHostRule: boolean;
}

const STRICT: Options = { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false };

export function validateIngressCreate(ing: Ingress): FieldError[] {
  const errs = validateIngress(ing, STRICT);
  const annotation = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  const className = ing.spec?.ingressClassName;
  if (annotation !== undefined && className !== undefined && annotation !== className) {
    errs.push(
      invalidValue(
        `annotations.${INGRESS_CLASS_ANNOTATION}`,
        annotation,
        'must match `ingressClassName` when both are specified',
      ),
    );
  }
  return errs;
}

export function validateIngressUpdate(ing: Ingress, old: Ingress): FieldError[] {
  const opts: Options = {
    allowInvalidSecretName: (old.spec?.tls ?? []).some((t) => tlsSecretNameErrors(t.secretName).length > 0),
    allowInvalidWildcardHostRule: (old.spec?.rules ?? []).some(
      (r) => (r.host ?? '').includes('*') && validateRuleValue(r, '', STRICT).length > 0,
    ),
  };
  return [
    ...validateIngress(ing, opts),
    ...validateIngressLoadBalancerStatus(ing.status?.loadBalancer, 'status.loadBalancer'),
  ];
}

function validateIngress(ing: Ingress, opts: Options): FieldError[] {
  return [...validateKubeFinalizerNames(ing.metadata), ...validateIngressSpec(ing.spec ?? {}, 'spec', opts)];
}

function validateIngressSpec(spec: IngressSpec, path: string, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) {
    errs.push(invalidValue(path, spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, child(path, 'defaultBackend')));
  rules.forEach((r, i) => {
    errs.push(...validateRule(r, index(child(path, 'rules'), i), opts));
  });
  (spec.tls ?? []).forEach((tls, ti) => {
    const at = index(child(path, 'tls'), ti);
    (tls.hosts ?? []).forEach((host, hi) => {
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const msg of msgs) errs.push(invalidValue(index(child(at, 'hosts'), hi), host, msg));
    });
    if (!opts.allowInvalidSecretName) {
      for (const msg of tlsSecretNameErrors(tls.secretName))
        errs.push(invalidValue(child(at, 'secretName'), tls.secretName, msg));
    }
  });
  if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) {
    for (const msg of nameIsDNSSubdomain(spec.ingressClassName, false))
      errs.push(invalidValue(child(path, 'ingressClassName'), spec.ingressClassName, msg));
  }
  return errs;
}

/** An empty secretName is allowed (SNI-less TLS terminated by the controller's default). */
const tlsSecretNameErrors = (name: string | undefined): string[] =>
  name ? nameIsDNSSubdomain(name, false) : [];

function validateRule(rule: IngressRule, path: string, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  const host = rule.host ?? '';
  let wildcard = false;
  if (host.length > 0) {
    if (isSloppyIP(host))
      errs.push(invalidValue(child(path, 'host'), host, 'must be a DNS name, not an IP address'));
    wildcard = host.includes('*');
    const msgs = wildcard ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
    for (const msg of msgs) errs.push(invalidValue(child(path, 'host'), host, msg));
  }
  if (!wildcard || !opts.allowInvalidWildcardHostRule) errs.push(...validateRuleValue(rule, path, opts));
  return errs;
}

function validateRuleValue(rule: IngressRule, path: string, _opts: Options): FieldError[] {
  if (!rule.http) return [];
  const at = child(path, 'http');
  const paths = rule.http.paths ?? [];
  const errs: FieldError[] = [];
  if (paths.length === 0) errs.push(required(child(at, 'paths')));
  paths.forEach((p, i) => {
    errs.push(...validateHTTPPath(p, index(child(at, 'paths'), i)));
  });
  return errs;
}

function validateHTTPPath(p: HTTPIngressPath, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.pathType === undefined || p.pathType === null) {
    return [required(child(path, 'pathType'), 'pathType must be specified')];
  }
  const value = p.path ?? '';
  const at = child(path, 'path');
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(invalidValue(at, value, 'must be an absolute path'));
      if (value.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES)
          if (value.includes(seq)) errs.push(invalidValue(at, value, `must not contain '${seq}'`));
        for (const suffix of INVALID_PATH_SUFFIXES)
          if (value.endsWith(suffix)) errs.push(invalidValue(at, value, `cannot end with '${suffix}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (value.length > 0 && !value.startsWith('/'))
        errs.push(invalidValue(at, value, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(child(path, 'pathType'), p.pathType, PATH_TYPES));
  }
  errs.push(...validateBackend(p.backend ?? {}, child(path, 'backend')));
  return errs;
}

/** validateIngressBackend: a Service (name + port name xor number) or a typed resource, exactly one. */
export function validateBackend(backend: IngressBackend, path: string): FieldError[] {
  const { service, resource } = backend;
  if (resource && service) return [invalidValue(path, '', 'cannot set both resource and service backends')];
  const errs: FieldError[] = [];
  if (resource) {
    const at = child(path, 'resource');
    if (resource.apiGroup !== undefined && resource.apiGroup !== null) {
      for (const msg of isDNS1123Subdomain(resource.apiGroup))
        errs.push(invalidValue(child(at, 'apiGroup'), resource.apiGroup, msg));
    }
    for (const f of ['kind', 'name'] as const) {
      const v = resource[f] ?? '';
      if (v === '') errs.push(required(child(at, f)));
      else for (const msg of validatePathSegmentName(v, false)) errs.push(invalidValue(child(at, f), v, msg));
    }
    return errs;
  }
  if (!service) return [invalidValue(path, '', 'resource or service backend is required')];
  const name = service.name ?? '';
  if (name === '') errs.push(required(child(path, 'service', 'name')));
  else {
    for (const msg of validateServiceName(name, false))
      errs.push(invalidValue(child(path, 'service', 'name'), name, msg));
  }
  const portName = service.port?.name ?? '';
  const portNumber = service.port?.number ?? 0;
  if (portName && portNumber) errs.push(invalidValue(path, '', 'cannot set both port name & port number'));
  else if (portName) {
    for (const msg of isValidPortName(portName))
      errs.push(invalidValue(child(path, 'service', 'port', 'name'), portName, msg));
  } else if (portNumber) {
    for (const msg of isValidPortNum(portNumber))
      errs.push(invalidValue(child(path, 'service', 'port', 'number'), portNumber, msg));
  } else errs.push(required(path, 'port name or number is required'));
  return errs;
}

/** ValidateIngressLoadBalancerStatus: each address an IP or a DNS name (not an IP). */
export function validateIngressLoadBalancerStatus(
  status: IngressLoadBalancerStatus | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  (status?.ingress ?? []).forEach((lb, i) => {
    const at = index(child(path, 'ingress'), i);
    if (lb.ip && isIP(lb.ip) === 0) errs.push(invalidValue(child(at, 'ip'), lb.ip, INVALID_IP_MSG));
    if (lb.hostname) {
      for (const msg of isDNS1123Subdomain(lb.hostname))
        errs.push(invalidValue(child(at, 'hostname'), lb.hostname, msg));
      if (isSloppyIP(lb.hostname))
        errs.push(invalidValue(child(at, 'hostname'), lb.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}
