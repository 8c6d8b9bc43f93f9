/** Pod predicates the controllers share, as upstream's podutil and controller helpers. */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';

export const readyCondition = (pod: Pod): PodCondition | undefined =>
  pod.status?.conditions?.find((c) => c.type === 'Ready');

/** podutil.IsPodReady: the Ready condition is True. */
export const isPodReady = (pod: Pod): boolean => readyCondition(pod)?.status === 'True';

/**
 * podutil.IsPodAvailable: ready, and ready for at least minReadySeconds (measured from the
 * Ready condition's lastTransitionTime; strictly before `now`, as upstream's Time.Before).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const t = readyCondition(pod)?.lastTransitionTime;
  if (!t) return false;
  return Date.parse(t) + minReadySeconds * 1000 < now.getTime();
}

/** controller.IsPodActive: not Succeeded/Failed and not being deleted. */
export const isPodActive = (pod: Pod): boolean =>
  pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
