/**
 * Whether one PolicyRule allows a request (plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows, over the
 * rbac/v1 helpers in pkg/apis/rbac/v1/evaluation_helpers.go): every part must match, `*` matching anything
 * in verbs, apiGroups and resources; a resource rule may name `resource/subresource`, or `*` slash a subresource for that subresource of
 * every resource;
 * resourceNames, when present, must hold the request's name; a non-resource URL may end in `*` (a prefix).
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1';
import type { Attributes } from '../authorizer.js';

const ALL = '*';

export const verbMatches = (rule: PolicyRule, verb: string): boolean =>
  rule.verbs.some((v) => v === ALL || v === verb);

export const apiGroupMatches = (rule: PolicyRule, group: string): boolean =>
  (rule.apiGroups ?? []).some((g) => g === ALL || g === group);

/** `combined` is `resource` or `resource/subresource`; `subresource` lets a star-slash-subresource rule apply. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource))
      return true;
  }
  return false;
}

export const resourceNameMatches = (rule: PolicyRule, name: string): boolean =>
  !rule.resourceNames?.length || rule.resourceNames.includes(name);

/** A trailing `*` is a prefix (all of them trimmed, as Go's strings.TrimRight). */
export function nonResourceURLCovers(ruleURL: string, path: string): boolean {
  if (ruleURL === ALL || ruleURL === path) return true;
  return ruleURL.endsWith('*') && path.startsWith(ruleURL.replace(/\*+$/, ''));
}

export const nonResourceURLMatches = (rule: PolicyRule, path: string): boolean =>
  (rule.nonResourceURLs ?? []).some((u) => nonResourceURLCovers(u, path));

export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (!a.resourceRequest) return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path ?? '');
  const resource = a.resource ?? '';
  const sub = a.subresource ?? '';
  return (
    verbMatches(rule, a.verb) &&
    apiGroupMatches(rule, a.apiGroup ?? '') &&
    resourceMatches(rule, sub ? `${resource}/${sub}` : resource, sub) &&
    resourceNameMatches(rule, a.name ?? '')
  );
}
