/**
 * What a quota has used, counted from the stored objects: quota.CalculateUsage and
 * generic.CalculateUsageStats (k8s.io/apiserver pkg/quota/v1). For each evaluator that counts
 * some of the quota's hard resources, the objects of the namespace that match every scope are
 * summed; the result holds exactly the hard names some evaluator counts (0 when nothing uses them).
 */
import type {
  ResourceQuota,
  ResourceQuotaSpec,
  ScopedResourceSelectorRequirement,
} from 'kubernetes-types/core/v1';
import type { KubeObject } from '../types.js';
import type { Evaluator } from './evaluators.js';
import { add, mask, type ResourceList, ZERO } from './resources.js';

/** getScopeSelectorsFromQuota: spec.scopes as Exists requirements, then the scopeSelector's. */
export function scopeSelectorsOf(spec: ResourceQuotaSpec | undefined): ScopedResourceSelectorRequirement[] {
  return [
    ...(spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' })),
    ...(spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

/** Whether the object falls under every scope of the quota. */
export const matchesScopes = (e: Evaluator, spec: ResourceQuotaSpec | undefined, obj: KubeObject): boolean =>
  scopeSelectorsOf(spec).every((s) => e.matchesScope(s, obj));

/** generic.Matches: the quota holds a resource the evaluator counts, and the object is in its scopes. */
export const quotaMatches = (e: Evaluator, quota: ResourceQuota, obj: KubeObject): boolean =>
  e.matchingResources(Object.keys(quota.status?.hard ?? {})).length > 0 && matchesScopes(e, quota.spec, obj);

export interface UsageSource {
  evaluators: readonly Evaluator[];
  /** The stored objects of one evaluator's resource in a namespace. */
  list(e: Evaluator, namespace: string): readonly KubeObject[];
  now: Date;
}

export function calculateUsage(namespace: string, spec: ResourceQuotaSpec, src: UsageSource): ResourceList {
  const hardNames = Object.keys(spec.hard ?? {});
  const matched = new Set(src.evaluators.flatMap((e) => e.matchingResources(hardNames)));
  let used: ResourceList = new Map();
  for (const e of src.evaluators) {
    const names = e.matchingResources([...matched]);
    if (names.length === 0) continue;
    let stats: ResourceList = new Map(names.map((n) => [n, ZERO]));
    for (const obj of src.list(e, namespace)) {
      if (matchesScopes(e, spec, obj)) stats = add(stats, e.usage(obj, src.now));
    }
    used = add(used, stats);
  }
  return mask(used, matched);
}
