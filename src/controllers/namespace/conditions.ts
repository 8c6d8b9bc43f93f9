/**
 * The five namespace deletion conditions, as upstream's namespace/deletion
 * status_condition_utils.go: each is always present, False with its "ok" reason and message
 * unless a problem sets it True; an unchanged condition keeps its lastTransitionTime.
 */
import type { NamespaceCondition } from 'kubernetes-types/core/v1';

type ConditionType =
  | 'NamespaceDeletionDiscoveryFailure'
  | 'NamespaceDeletionGroupVersionParsingFailure'
  | 'NamespaceDeletionContentFailure'
  | 'NamespaceContentRemaining'
  | 'NamespaceFinalizersRemaining';

const ORDER: readonly ConditionType[] = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
];

const OK: Readonly<Record<ConditionType, { reason: string; message: string }>> = {
  NamespaceDeletionDiscoveryFailure: {
    reason: 'ResourcesDiscovered',
    message: 'All resources successfully discovered',
  },
  NamespaceDeletionGroupVersionParsingFailure: {
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  },
  NamespaceDeletionContentFailure: {
    reason: 'ContentDeleted',
    message: 'All content successfully deleted, may be waiting on finalization',
  },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: {
    reason: 'ContentHasNoFinalizers',
    message: 'All content-preserving finalizers finished',
  },
};

export interface DeletionProblems {
  /** One message per resource whose content could not be deleted. */
  deleteErrors: string[];
  /** `pods.` (resource.group) → instances left. */
  remaining: Map<string, number>;
  /** finalizer → instances carrying it. */
  finalizers: Map<string, number>;
}

function problems(p: DeletionProblems): Partial<Record<ConditionType, { reason: string; message: string }>> {
  const out: Partial<Record<ConditionType, { reason: string; message: string }>> = {};
  if (p.deleteErrors.length) {
    out.NamespaceDeletionContentFailure = {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${p.deleteErrors.length} remaining: ${[...p.deleteErrors].sort().join(', ')}`,
    };
  }
  const remaining = [...p.remaining]
    .filter(([, n]) => n > 0)
    .map(([gr, n]) => `${gr} has ${n} resource instances`)
    .sort();
  if (remaining.length) {
    out.NamespaceContentRemaining = {
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${remaining.join(', ')}`,
    };
  }
  const finalizers = [...p.finalizers]
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} in ${n} resource instances`)
    .sort();
  if (finalizers.length) {
    out.NamespaceFinalizersRemaining = {
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`,
    };
  }
  return out;
}

/**
 * upstream's updateConditions: existing conditions are updated in place (lastTransitionTime
 * moves only when the status flips), missing ones are appended in upstream's order.
 */
export function deletionConditions(
  current: readonly NamespaceCondition[] | undefined,
  p: DeletionProblems,
  now: Date,
): NamespaceCondition[] {
  const found = problems(p);
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const next = structuredClone([...(current ?? [])]);
  for (const type of ORDER) {
    const problem = found[type];
    const want = { type, status: problem ? 'True' : 'False', ...(problem ?? OK[type]) };
    const old = next.find((c) => c.type === type);
    if (!old) next.push({ ...want, lastTransitionTime: stamp });
    else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = stamp;
      Object.assign(old, want);
    }
  }
  return next;
}
