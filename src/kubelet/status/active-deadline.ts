/**
 * spec.activeDeadlineSeconds (kubelet's active_deadline.go, v1.32): a pod that has been active on
 * the node for its deadline, counted from status.startTime, is failed with reason DeadlineExceeded.
 *
 *   startTime ──── activeDeadlineSeconds ────► deadline: phase Failed, containers killed,
 *                                               never restarted (restartPolicy does not apply)
 *
 * Pure: generatePodStatus applies the override (its ShouldEvict), and the kubelet arms a wake-up
 * at `activeDeadlineAt` (its ShouldSync, which upstream polls every second) so the pod worker
 * syncs at the deadline even when nothing else happens. Init containers and sidecars count: the
 * deadline runs from startTime, not from any container's start. The field may be lowered on a
 * running pod; the next sync reads the new value.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';

/** active_deadline.go `reason`, also the Event's reason. */
export const DEADLINE_EXCEEDED_REASON = 'DeadlineExceeded';
/** active_deadline.go `message`, also the Event's message. */
export const DEADLINE_EXCEEDED_MESSAGE = 'Pod was active on the node longer than the specified deadline';

/**
 * When the pod passes its active deadline, in ms since the epoch; undefined when it has no
 * deadline or no startTime yet (pastActiveDeadline: "we have no start time so just return").
 * `status` is the kubelet's newest status for the pod (the status manager's, else the API's).
 */
export function activeDeadlineAt(pod: Pod, status: PodStatus | undefined): number | undefined {
  const seconds = pod.spec?.activeDeadlineSeconds;
  if (seconds === undefined || seconds === null) return undefined;
  const start = status?.startTime ? Date.parse(status.startTime) : Number.NaN;
  if (Number.isNaN(start)) return undefined;
  return start + seconds * 1000;
}

/** pastActiveDeadline: `now - startTime >= activeDeadlineSeconds`. */
export function pastActiveDeadline(pod: Pod, status: PodStatus | undefined, now: Date): boolean {
  const at = activeDeadlineAt(pod, status);
  return at !== undefined && now.getTime() >= at;
}
