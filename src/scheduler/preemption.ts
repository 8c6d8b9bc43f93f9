/**
 * DefaultPreemption (pkg/scheduler/framework/plugins/defaultpreemption and framework/preemption,
 * 1.32) for podbay's one node: when a pod does not fit only for reasons preemption can resolve
 * (cpu, memory, pod count), the lower-priority pods on the node are its potential victims; if it
 * fits with all of them gone, they are given back one by one, most important first (higher
 * priority, then earlier start), those whose eviction would break a PodDisruptionBudget before the
 * others, and the ones that must still go are the victims. The scheduler then marks each victim
 * DisruptionTarget (PreemptionByScheduler), deletes it, records `Preempted`, and nominates the node
 * for the preemptor, which is bound once the victims are gone.
 * A pod with preemptionPolicy Never, or whose nominated node still has a victim terminating, does
 * not preempt.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { selectorIsEmpty, selectorMatches } from '../api/validation/labels.js';
import { fitReasons } from './fit.js';

/** Filter reasons preemption may resolve (NodeResourcesFit's Unschedulable); the rest are unresolvable. */
const RESOLVABLE = new Set(['Insufficient cpu', 'Insufficient memory', 'Too many pods']);

export const podPriority = (p: Pod): number => p.spec?.priority ?? 0;

/** The PostFilter outcome: victims to remove, or the message that ends the FailedScheduling text. */
export type PreemptionResult = { victims: Pod[] } | { message: string };

const startOf = (p: Pod): number => Date.parse(p.status?.startTime ?? '') || Number.POSITIVE_INFINITY;

/** util.MoreImportantPod. */
const moreImportant = (a: Pod, b: Pod): number => podPriority(b) - podPriority(a) || startOf(a) - startOf(b);

const terminatingByPreemption = (p: Pod): boolean =>
  !!p.metadata?.deletionTimestamp &&
  (p.status?.conditions ?? []).some(
    (c) => c.type === 'DisruptionTarget' && c.reason === 'PreemptionByScheduler',
  );

/** filterPodsWithPDBViolation: a nil or empty selector matches nothing here; disruptedPods are spent already. */
function splitByBudget(pods: readonly Pod[], pdbs: readonly PodDisruptionBudget[]): [Pod[], Pod[]] {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const violating: Pod[] = [];
  const fine: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    if (Object.keys(pod.metadata?.labels ?? {}).length) {
      pdbs.forEach((pdb, i) => {
        const sel = pdb.spec?.selector;
        if (pdb.metadata?.namespace !== pod.metadata?.namespace || !sel || selectorIsEmpty(sel)) return;
        if (!selectorMatches(sel, pod.metadata?.labels)) return;
        const disrupted = (pdb.status as { disruptedPods?: Record<string, string> } | undefined)
          ?.disruptedPods;
        if (disrupted && Object.hasOwn(disrupted, pod.metadata?.name ?? '')) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : fine).push(pod);
  }
  return [violating, fine];
}

/** Preempt: eligibility, then selectVictimsOnNode for the one node. `reasons` are its filter failures. */
export function preempt(
  pod: Pod,
  node: Node,
  podsOnNode: readonly Pod[],
  reasons: readonly string[],
  pdbs: readonly PodDisruptionBudget[],
): PreemptionResult {
  if (pod.spec?.preemptionPolicy === 'Never')
    return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
  const priority = podPriority(pod);
  if (
    pod.status?.nominatedNodeName === node.metadata?.name &&
    podsOnNode.some((p) => podPriority(p) < priority && terminatingByPreemption(p))
  )
    return { message: 'preemption: not eligible due to a terminating pod on the nominated node.' };
  if (!reasons.every((r) => RESOLVABLE.has(r)))
    return { message: 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.' };
  const potential = podsOnNode.filter((p) => podPriority(p) < priority);
  if (potential.length === 0)
    return {
      message: 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    };
  const kept = podsOnNode.filter((p) => podPriority(p) >= priority);
  const stillFailing = fitReasons(pod, node, kept);
  if (stillFailing.length)
    return {
      message: `preemption: 0/1 nodes are available: ${[...new Set(stillFailing)]
        .sort()
        .map((r) => `1 ${r}`)
        .join(', ')}.`,
    };
  const [violating, fine] = splitByBudget([...potential].sort(moreImportant), pdbs);
  const victims: Pod[] = [];
  for (const p of [...violating, ...fine]) {
    kept.push(p);
    if (fitReasons(pod, node, kept).length) {
      kept.pop();
      victims.push(p);
    }
  }
  if (violating.length && fine.length) victims.sort(moreImportant);
  return { victims };
}
