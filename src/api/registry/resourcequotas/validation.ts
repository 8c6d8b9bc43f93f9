/**
 * core/v1 ResourceQuota validation, as pkg/apis/core/validation (1.32) ValidateResourceQuota,
 * ValidateResourceQuotaUpdate and ValidateResourceQuotaStatusUpdate: resource names a quota may
 * hold (standard quota names, `count/<resource>[.<group>]`, `requests.<extended>`), quantities
 * ≥ 0 (whole numbers for counts), known scopes that apply to the quota's resources, no conflicting
 * pair, scopeSelector operators, and scopes that never change.
 */
import type {
  ResourceQuota,
  ResourceQuotaSpec,
  ScopedResourceSelectorRequirement,
} from 'kubernetes-types/core/v1';
import { type FieldError, invalidValue, required } from '../../validation/field.js';
import { FIELD_IMMUTABLE } from '../../validation/objectmeta.js';
import { child, key } from '../../validation/path.js';
import {
  isStandardQuotaResourceName,
  validateQuantityValue,
  validateQuotaResourceName,
} from '../../validation/resource-names.js';
import { parseQuantityField } from '../../validation/resources.js';

/** helper.IsStandardResourceQuotaScope. */
const STANDARD_SCOPES = new Set([
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
]);
const POD_COMPUTE = new Set([
  'cpu',
  'limits.cpu',
  'limits.memory',
  'memory',
  'requests.cpu',
  'requests.memory',
]);

/** helper.IsResourceQuotaScopeValidForResource. */
function scopeValidFor(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return resource === 'pods' || POD_COMPUTE.has(resource);
    case 'BestEffort':
      return resource === 'pods';
    default:
      return true;
  }
}

const CONFLICTING_PAIRS = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
] as const;

const EXISTS_ONLY_SCOPES = new Set([
  'BestEffort',
  'NotBestEffort',
  'Terminating',
  'NotTerminating',
  'CrossNamespacePodAffinity',
]);

function validateResourceList(list: Record<string, unknown> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(list ?? {})) {
    const p = key(path, name);
    errs.push(...validateQuotaResourceName(name, p));
    const q = parseQuantityField(raw, p);
    if ('type' in q) errs.push(q);
    else errs.push(...validateQuantityValue(name, q, p));
  }
  return errs;
}

/** Hard names a scope is checked against: sorted, as sets.List returns them. */
const hardNames = (spec: ResourceQuotaSpec): string[] => Object.keys(spec.hard ?? {}).sort();

function validateScopes(spec: ResourceQuotaSpec): FieldError[] {
  const scopes = spec.scopes ?? [];
  if (scopes.length === 0) return [];
  const errs: FieldError[] = [];
  const path = 'spec.scopes';
  for (const scope of scopes) {
    if (!STANDARD_SCOPES.has(scope)) errs.push(invalidValue(path, scopes, 'unsupported scope'));
    for (const name of hardNames(spec)) {
      if (isStandardQuotaResourceName(name) && !scopeValidFor(scope, name))
        errs.push(invalidValue(path, scopes, 'unsupported scope applied to resource'));
    }
  }
  for (const pair of CONFLICTING_PAIRS)
    if (pair.every((p) => scopes.includes(p))) errs.push(invalidValue(path, scopes, 'conflicting scopes'));
  return errs;
}

function validateRequirement(
  spec: ResourceQuotaSpec,
  req: ScopedResourceSelectorRequirement,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!STANDARD_SCOPES.has(req.scopeName))
    errs.push(invalidValue(child(path, 'scopeName'), req.scopeName, 'unsupported scope'));
  for (const name of hardNames(spec)) {
    if (isStandardQuotaResourceName(name) && !scopeValidFor(req.scopeName, name))
      errs.push(invalidValue(path, spec.scopeSelector, 'unsupported scope applied to resource'));
  }
  if (EXISTS_ONLY_SCOPES.has(req.scopeName) && req.operator !== 'Exists') {
    errs.push(
      invalidValue(
        child(path, 'operator'),
        req.operator,
        "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
      ),
    );
  }
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0)
        errs.push(
          required(
            child(path, 'values'),
            "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
          ),
        );
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0)
        errs.push(
          invalidValue(
            child(path, 'values'),
            values,
            "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
          ),
        );
      break;
    default:
      errs.push(invalidValue(child(path, 'operator'), req.operator, 'not a valid selector operator'));
  }
  return errs;
}

function validateScopeSelector(spec: ResourceQuotaSpec): FieldError[] {
  if (!spec.scopeSelector) return [];
  const path = 'spec.scopeSelector.matchExpressions';
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const req of spec.scopeSelector.matchExpressions ?? []) {
    errs.push(...validateRequirement(spec, req, path));
    names.add(req.scopeName);
  }
  for (const pair of CONFLICTING_PAIRS)
    if (pair.every((p) => names.has(p)))
      errs.push(invalidValue(path, spec.scopes ?? null, 'conflicting scopes'));
  return errs;
}

export function validateResourceQuota(rq: ResourceQuota): FieldError[] {
  const spec = rq.spec ?? {};
  return [
    ...validateResourceList(spec.hard as Record<string, unknown> | undefined, 'spec.hard'),
    ...validateScopes(spec),
    ...validateScopeSelector(spec),
    ...validateResourceList(rq.status?.hard as Record<string, unknown> | undefined, 'status.hard'),
    ...validateResourceList(rq.status?.used as Record<string, unknown> | undefined, 'status.used'),
  ];
}

/** ValidateResourceQuotaUpdate: scopes are fixed at create (compared as sets). */
export function validateResourceQuotaUpdate(rq: ResourceQuota, old: ResourceQuota): FieldError[] {
  const now = new Set(rq.spec?.scopes ?? []);
  const before = new Set(old.spec?.scopes ?? []);
  const same = now.size === before.size && [...now].every((s) => before.has(s));
  return same ? [] : [invalidValue('spec.scopes', rq.spec?.scopes ?? null, FIELD_IMMUTABLE)];
}
