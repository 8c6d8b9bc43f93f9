/**
 * The ClusterRole aggregation controller (pkg/controller/clusterroleaggregation): a ClusterRole with an
 * aggregationRule gets as rules the union of the rules of every other ClusterRole its selectors match,
 * selector by selector, roles by name, each distinct rule once. That is how `admin`, `edit` and `view`
 * get their rules (from system:aggregate-to-*), and how a ClusterRole labelled
 * `rbac.authorization.k8s.io/aggregate-to-view: "true"` extends `view`. Any ClusterRole change re-syncs
 * every aggregated role; a sync writes only when the union differs.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1';
import { RBAC_GROUP } from '../../api/registry/rbac/validation.js';
import { selectorFromLabelSelector } from '../../api/selectors/label-selector.js';
import type { KubeObject } from '../../api/types.js';
import { QueueController, type WatchSpec } from '../runtime/queue-controller.js';

type Role = ClusterRole & KubeObject;

/** The rules `role` aggregates from `all` (pure; exported for tests). */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const sorted = [...all].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  for (const sel of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const selector = selectorFromLabelSelector(sel);
    for (const other of sorted) {
      if (other.metadata?.name === role.metadata?.name || !selector.matches(other.metadata?.labels)) continue;
      for (const r of other.rules ?? []) if (!rules.some((x) => semanticEqual(x, r))) rules.push(r);
    }
  }
  return rules;
}

/** equality.Semantic.DeepEqual on rules: an absent list equals an empty one. */
function semanticEqual(a: PolicyRule, b: PolicyRule): boolean {
  const norm = (r: PolicyRule) => ({
    verbs: r.verbs ?? [],
    apiGroups: r.apiGroups ?? [],
    resources: r.resources ?? [],
    resourceNames: r.resourceNames ?? [],
    nonResourceURLs: r.nonResourceURLs ?? [],
  });
  return isDeepStrictEqual(norm(a), norm(b));
}

const sameRules = (a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean =>
  a.length === b.length && a.every((r, i) => semanticEqual(r, b[i]!));

export class ClusterRoleAggregationController extends QueueController {
  readonly name = 'clusterrole-aggregation';
  protected override readonly requiredResource = {
    resource: 'clusterroles',
    group: RBAC_GROUP,
  };

  protected watches(): readonly WatchSpec[] {
    return [{ resource: 'clusterroles', keysFor: () => this.allKeys() }];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client
      .scan<Role>('clusterroles')
      .filter((r) => r.aggregationRule)
      .map((r) => r.metadata.name!);
  }

  protected sync(name: string): void {
    const { client } = this.deps;
    const role = client.get<Role>('clusterroles', '', name);
    if (!role?.aggregationRule) return;
    let rules: PolicyRule[];
    try {
      rules = aggregatedRules(role, client.scan<Role>('clusterroles'));
    } catch {
      return; // an invalid selector: validation refuses those, nothing to aggregate
    }
    if (sameRules(rules, role.rules ?? [])) return;
    role.rules = rules;
    try {
      client.update('clusterroles', role);
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code === 409) this.queue.add(name);
      else if (code !== 404) throw e;
    }
  }
}
