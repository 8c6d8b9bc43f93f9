/**
 * kube-apiserver's `--authorization-mode=RBAC` as one Authorizer: first the privileged-group authorizer
 * (authorizerfactory.NewPrivilegedGroups: system:masters may do anything, no reason), then
 * plugin/pkg/auth/authorizer/rbac/rbac.go: allowed by the first rule that allows, with the reason
 * `RBAC: allowed by <source>`; otherwise NoOpinion, its reason the resolution errors met
 * (`RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`), or none.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1';
import { aggregateMessages } from '../../admission/types.js';
import type { Authorizer, NonResourceRule, ResourceRule, RuleSet } from '../authorizer.js';
import { SYSTEM_MASTERS } from '../user.js';
import { describeSource, type RuleResolver } from './resolver.js';
import { ruleAllows } from './rules.js';

export function rbacAuthorizer(resolver: RuleResolver): Authorizer {
  return {
    authorize(a) {
      if (a.user.groups.includes(SYSTEM_MASTERS)) return { decision: 'Allow', reason: '' };
      let reason = '';
      const errors: string[] = [];
      resolver.visitRulesFor(a.user, a.namespace ?? '', (source, rule, err) => {
        if (source && rule && ruleAllows(a, rule)) {
          reason = `RBAC: allowed by ${describeSource(source)}`;
          return false;
        }
        if (err) errors.push(err);
        return true;
      });
      if (reason) return { decision: 'Allow', reason };
      return { decision: 'NoOpinion', reason: errors.length ? `RBAC: ${aggregateMessages(errors)}` : '' };
    },
    rulesFor(user, namespace): RuleSet {
      const { rules, errors } = resolver.rulesFor(user, namespace);
      return {
        ...ruleInfos(rules),
        incomplete: errors.length > 0,
        ...(errors.length > 0 && { evaluationError: aggregateMessages(errors) }),
      };
    },
  };
}

/** RBACAuthorizer.RulesFor: a rule with resources is a resource rule, one with URLs a non-resource rule. */
function ruleInfos(rules: readonly PolicyRule[]): Pick<RuleSet, 'resourceRules' | 'nonResourceRules'> {
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  for (const r of rules) {
    if (r.resources?.length) {
      resourceRules.push({
        verbs: [...r.verbs],
        apiGroups: [...(r.apiGroups ?? [])],
        resources: [...r.resources],
        ...(r.resourceNames?.length && { resourceNames: [...r.resourceNames] }),
      });
    }
    if (r.nonResourceURLs?.length) {
      nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...r.nonResourceURLs] });
    }
  }
  return { resourceRules, nonResourceRules };
}
