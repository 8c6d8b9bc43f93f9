/**
 * IngressClass validation, as upstream's ValidateIngressClass / ValidateIngressClassUpdate
 * (pkg/apis/networking/validation/validation.go, 1.32): spec.controller is a domain-prefixed path
 * of at most 250 bytes and never changes; spec.parameters names a kind and object, and its scope
 * says whether it also names a namespace. The registry checks ObjectMeta.
 */
import type { IngressClass, IngressClassParametersReference } from 'kubernetes-types/networking/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import {
  type FieldError,
  forbidden,
  invalidValue,
  notSupported,
  required,
  tooLong,
} from '../../validation/field.js';
import { validateNamespaceName, validatePathSegmentName } from '../../validation/names.js';
import { validateImmutableField } from '../../validation/objectmeta.js';
import { child } from '../../validation/path.js';
import { byteLength, domainPrefixedPathProblems, isDNS1123Subdomain } from '../../validation/strings.js';

const MAX_CONTROLLER_LENGTH = 250;
export const PARAMETER_SCOPES = ['Cluster', 'Namespace'] as const;

export function validateIngressClass(ic: IngressClass): FieldError[] {
  const errs = validateKubeFinalizerNames(ic.metadata);
  const controller = ic.spec?.controller ?? '';
  const at = 'spec.controller';
  if (controller === '') errs.push(required(at));
  else {
    if (byteLength(controller) > MAX_CONTROLLER_LENGTH) errs.push(tooLong(at, '', MAX_CONTROLLER_LENGTH));
    for (const [bad, msg] of domainPrefixedPathProblems(controller)) errs.push(invalidValue(at, bad, msg));
  }
  errs.push(...validateParameters(ic.spec?.parameters, 'spec.parameters'));
  return errs;
}

export const validateIngressClassUpdate = (ic: IngressClass, old: IngressClass): FieldError[] =>
  validateImmutableField(ic.spec?.controller, old.spec?.controller, 'spec.controller');

function validateParameters(p: IngressClassParametersReference | undefined, path: string): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  if (p.apiGroup !== undefined && p.apiGroup !== null) {
    for (const msg of isDNS1123Subdomain(p.apiGroup))
      errs.push(invalidValue(child(path, 'apiGroup'), p.apiGroup, msg));
  }
  for (const f of ['kind', 'name'] as const) {
    const v = p[f] ?? '';
    if (v === '') errs.push(required(child(path, f)));
    else for (const msg of validatePathSegmentName(v, false)) errs.push(invalidValue(child(path, f), v, msg));
  }
  if (p.scope === undefined || p.scope === null) {
    errs.push(required(child(path, 'scope')));
    return errs;
  }
  if (!(PARAMETER_SCOPES as readonly string[]).includes(p.scope)) {
    errs.push(notSupported(child(path, 'scope'), p.scope, PARAMETER_SCOPES));
    return errs;
  }
  if (p.scope === 'Namespace') {
    if (p.namespace === undefined || p.namespace === null)
      errs.push(required(child(path, 'namespace'), "`parameters.scope` is set to 'Namespace'"));
    else {
      for (const msg of validateNamespaceName(p.namespace, false))
        errs.push(invalidValue(child(path, 'namespace'), p.namespace, msg));
    }
  }
  if (p.scope === 'Cluster' && p.namespace !== undefined && p.namespace !== null)
    errs.push(forbidden(child(path, 'namespace'), "`parameters.scope` is set to 'Cluster'"));
  return errs;
}
