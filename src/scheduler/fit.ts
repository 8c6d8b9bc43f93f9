/**
 * Whether a pod fits the node, as the default scheduler's filter plugins decide it for podbay's
 * one node: NodeUnschedulable, NodeName, NodeAffinity (nodeSelector and required node affinity
 * on labels), TaintToleration (NoSchedule/NoExecute), NodeResourcesFit (cpu, memory, pod count).
 * Returns the failure reasons in upstream's words, for the FailedScheduling message.
 */
import type { Node, NodeSelectorRequirement, Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { parseQuantity, quantityMillis, quantityValue } from '../api/quantity.js';
import { podRequests, sumRequests } from './requests.js';

export const UNSCHEDULABLE_REASON = 'node(s) were unschedulable';

export function fitReasons(pod: Pod, node: Node, podsOnNode: readonly Pod[]): string[] {
  const reasons: string[] = [];
  if (
    node.spec?.unschedulable &&
    !tolerates(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  ) {
    // NodeUnschedulable is the first filter plugin: its failure ends the node's filtering (so the
    // node.kubernetes.io/unschedulable taint the node lifecycle controller adds is not reported twice).
    return [UNSCHEDULABLE_REASON];
  }
  if (!matchesNodeSelector(pod, node)) reasons.push("node(s) didn't match Pod's node affinity/selector");
  const untolerated = (node.spec?.taints ?? []).find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec?.tolerations, t),
  );
  if (untolerated)
    reasons.push(`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`);

  const alloc = (node.status?.allocatable ?? {}) as Record<string, string>;
  const want = podRequests(pod);
  const used = sumRequests(podsOnNode);
  if (alloc.pods !== undefined && podsOnNode.length + 1 > Number(alloc.pods)) reasons.push('Too many pods');
  if (
    alloc.cpu !== undefined &&
    want.cpu > 0n &&
    used.cpu + want.cpu > quantityMillis(parseQuantity(alloc.cpu))
  ) {
    reasons.push('Insufficient cpu');
  }
  if (
    alloc.memory !== undefined &&
    want.memory > 0n &&
    used.memory + want.memory > quantityValue(parseQuantity(alloc.memory))
  ) {
    reasons.push('Insufficient memory');
  }
  return reasons;
}

/** v1helper's TolerationsTolerateTaint: some toleration matches the taint's key, value and effect. */
export function tolerates(
  tolerations: readonly Toleration[] | undefined,
  taint: Pick<Taint, 'key' | 'effect'> & { value?: string },
): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

function requirementHolds(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(v!);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has) return false;
      const a = Number(v);
      const b = Number(r.values?.[0]);
      return Number.isInteger(a) && Number.isInteger(b) && (r.operator === 'Gt' ? a > b : a < b);
    }
    default:
      return false;
  }
}

/** nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): nodeSelector and required node affinity. */
export function matchesNodeSelector(pod: Pod, node: Node): boolean {
  const labels = (node.metadata?.labels ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return true;
  // Terms are ORed; the expressions within a term are ANDed (matchFields: metadata.name only).
  return terms.some(
    (t) =>
      (t.matchExpressions ?? []).every((r) => requirementHolds(r, labels)) &&
      (t.matchFields ?? []).every((r) => requirementHolds(r, { 'metadata.name': node.metadata?.name ?? '' })),
  );
}

/**
 * The FailedScheduling message for one node, as the 1.32 scheduler words it: the filter reasons,
 * then what preemption (PostFilter) said: `postFilter` when given ('' after a successful
 * preemption), else the default for these reasons.
 */
export function unschedulableMessage(reasons: readonly string[], nodes = 1, postFilter?: string): string {
  const counts = [...new Set(reasons)].sort().map((r) => `1 ${r}`);
  const head = `0/${nodes} nodes are available: ${counts.join(', ')}.`;
  if (postFilter !== undefined) return postFilter ? `${head} ${postFilter}` : head;
  // NodeUnschedulable's status is UnschedulableAndUnresolvable: preemption does not try the node.
  const preemption = reasons.includes(UNSCHEDULABLE_REASON)
    ? `${nodes} Preemption is not helpful for scheduling.`
    : `${nodes} No preemption victims found for incoming pod.`;
  return `${head} preemption: 0/${nodes} nodes are available: ${preemption}`;
}
