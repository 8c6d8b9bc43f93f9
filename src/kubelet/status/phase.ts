/**
 * status.phase from the generated container statuses (kubelet_pods.go getPhase, v1.32).
 *
 *  - Regular init containers: one running, waiting without a previous run, or missing keeps the
 *    pod initializing; a non-zero exit (now or in lastState) counts as a failed initialization,
 *    which makes a restartPolicy Never pod Failed.
 *  - Native sidecars count as running containers; one not yet started keeps initialization
 *    pending; a terminated sidecar does not count at all.
 *  - Once any regular container has started, a restarting sidecar no longer sends the pod back
 *    to Pending.
 *  - All regular containers stopped: Succeeded/Failed by exit codes, unless restartPolicy
 *    Always (or OnFailure with a failure) will restart them, which reads Running.
 * `podIsTerminal` is set by the pod worker once it decided the pod will run nothing again.
 */
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import { isRestartableInitContainer, podRestartPolicy } from '../observed.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export function getPhase(pod: Pod, statuses: readonly ContainerStatus[], podIsTerminal: boolean): PodPhase {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const initContainers = pod.spec?.initContainers ?? [];
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const container of initContainers) {
    if (isRestartableInitContainer(container)) continue;
    const status = byName.get(container.name);
    const state = status?.state;
    if (!status || state?.running) pendingInitialization++;
    else if (state?.terminated) {
      if (state.terminated.exitCode !== 0) failedInitialization++;
    } else if (state?.waiting) {
      const last = status.lastState?.terminated;
      if (last) {
        if (last.exitCode !== 0) failedInitialization++;
      } else pendingInitialization++;
    } else pendingInitialization++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const container of initContainers) {
    if (!isRestartableInitContainer(container)) continue;
    const status = byName.get(container.name);
    const state = status?.state;
    if (!status) unknown++;
    else if (state?.running) {
      if (!status.started) pendingInitialization++;
      running++;
    } else if (state?.terminated) {
      // A stopped sidecar does not decide the phase.
    } else if (state?.waiting) {
      if (!status.lastState?.terminated) {
        pendingInitialization++;
        waiting++;
      }
    } else {
      pendingInitialization++;
      unknown++;
    }
  }
  for (const container of pod.spec?.containers ?? []) {
    const status = byName.get(container.name);
    const state = status?.state;
    if (!status) unknown++;
    else if (state?.running) running++;
    else if (state?.terminated) {
      stopped++;
      if (state.terminated.exitCode === 0) succeeded++;
    } else if (state?.waiting) {
      if (status.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  const policy = podRestartPolicy(pod);
  if (failedInitialization > 0 && policy === 'Never') return 'Failed';
  if ((pendingInitialization > 0 && !hasAnyRegularContainerStarted(pod, statuses)) || waiting > 0)
    return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** kubecontainer.HasAnyRegularContainerStarted: a regular container is running or has terminated. */
export function hasAnyRegularContainerStarted(pod: Pod, statuses: readonly ContainerStatus[]): boolean {
  const names = new Set((pod.spec?.containers ?? []).map((c) => c.name));
  return statuses.some(
    (s) => names.has(s.name) && (s.state?.running !== undefined || s.state?.terminated !== undefined),
  );
}
