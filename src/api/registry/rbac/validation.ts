/**
 * RBAC validation (pkg/apis/rbac/validation/validation.go): policy rules, role references and
 * subjects, with upstream's messages. Names of all four kinds are path segments (ValidateRBACName),
 * which the strategies declare through `nameValidation`.
 */
import type {
  AggregationRule,
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
  RoleRef,
  Subject,
} from 'kubernetes-types/rbac/v1';
import { selectorFromLabelSelector } from '../../selectors/label-selector.js';
import { type FieldError, GoValue, invalidValue, notSupported, required } from '../../validation/field.js';
import { validateLabelSelector } from '../../validation/labels.js';
import { validatePathSegmentName } from '../../validation/names.js';
import { child, index } from '../../validation/path.js';
import { isDNS1123Subdomain } from '../../validation/strings.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** ValidatePolicyRule: verbs always; resource rules need groups and resources; URLs only cluster-wide. */
export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule.verbs?.length) errs.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  if (rule.nonResourceURLs?.length) {
    if (namespaced) {
      errs.push(
        invalidValue(
          child(path, 'nonResourceURLs'),
          rule.nonResourceURLs,
          'namespaced rules cannot apply to non-resource URLs',
        ),
      );
    }
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) {
      errs.push(
        invalidValue(
          child(path, 'nonResourceURLs'),
          rule.nonResourceURLs,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return errs;
  }
  if (!rule.apiGroups?.length)
    errs.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (!rule.resources?.length)
    errs.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

const rulesErrors = (rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldError[] =>
  (rules ?? []).flatMap((r, i) => validatePolicyRule(r, namespaced, index('rules', i)));

export const validateRole = (role: Role): FieldError[] => rulesErrors(role.rules, true);

/** ValidateClusterRole: the rules, and an aggregationRule needs valid selectors (at least one). */
export function validateClusterRole(role: ClusterRole): FieldError[] {
  const errs = rulesErrors(role.rules, false);
  const agg: AggregationRule | undefined = role.aggregationRule ?? undefined;
  if (agg) {
    const path = 'aggregationRule.clusterRoleSelectors';
    if (!agg.clusterRoleSelectors?.length) {
      errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    }
    (agg.clusterRoleSelectors ?? []).forEach((sel, i) => {
      const selErrs = validateLabelSelector(sel, {}, index(path, i));
      errs.push(...selErrs);
      if (selErrs.length === 0) {
        try {
          selectorFromLabelSelector(sel);
        } catch {
          errs.push(invalidValue(index(path, i), sel, 'invalid label selector.'));
        }
      }
    });
  }
  return errs;
}

/** The roleRef checks both binding kinds share; `kinds` is what this binding may reference. */
function validateRoleRef(ref: RoleRef | undefined, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  if ((ref?.apiGroup ?? '') !== RBAC_GROUP)
    errs.push(notSupported('roleRef.apiGroup', ref?.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(ref?.kind ?? '')) errs.push(notSupported('roleRef.kind', ref?.kind ?? '', kinds));
  const name = ref?.name ?? '';
  if (!name) errs.push(required('roleRef.name'));
  else
    for (const msg of validatePathSegmentName(name, false))
      errs.push(invalidValue('roleRef.name', name, msg));
  return errs;
}

/** ValidateRoleBindingSubject: a ServiceAccount outside a namespace must name its namespace. */
export function validateSubject(s: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = s.name ?? '';
  if (!name) errs.push(required(child(path, 'name')));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name)
        for (const msg of isDNS1123Subdomain(name)) errs.push(invalidValue(child(path, 'name'), name, msg));
      if (s.apiGroup) errs.push(notSupported(child(path, 'apiGroup'), s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if ((s.apiGroup ?? '') !== RBAC_GROUP)
        errs.push(notSupported(child(path, 'apiGroup'), s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(child(path, 'kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

type Binding = RoleBinding | ClusterRoleBinding;

function validateBinding(b: Binding, namespaced: boolean): FieldError[] {
  return [
    ...validateRoleRef(b.roleRef, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']),
    ...(b.subjects ?? []).flatMap((s, i) => validateSubject(s, namespaced, index('subjects', i))),
  ];
}

export const validateRoleBinding = (b: RoleBinding): FieldError[] => validateBinding(b, true);
export const validateClusterRoleBinding = (b: ClusterRoleBinding): FieldError[] => validateBinding(b, false);

/** Go's %#v of an rbac.RoleRef, as upstream prints the refused value. */
const roleRefGo = (r: RoleRef | undefined): GoValue =>
  new GoValue(
    `rbac.RoleRef{APIGroup:${JSON.stringify(r?.apiGroup ?? '')}, Kind:${JSON.stringify(r?.kind ?? '')}, Name:${JSON.stringify(r?.name ?? '')}}`,
  );

/** ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate: roleRef is immutable. */
export function validateBindingUpdate(b: Binding, old: Binding): FieldError[] {
  const a = b.roleRef;
  const o = old.roleRef;
  const same = a?.apiGroup === o?.apiGroup && a?.kind === o?.kind && a?.name === o?.name;
  return same ? [] : [invalidValue('roleRef', roleRefGo(a), 'cannot change roleRef')];
}
