/**
 * kubelet's restart rules for one container (kubecontainer.ShouldContainerBeRestarted and
 * kuberuntime's containerSucceeded), shared by the status generator and computePodActions so
 * that "will this container be started again" has one answer.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { currentInstance, type ObservedPod, podRestartPolicy } from './observed.js';

/**
 * True when the next sync would (re)start `container`: never started, stuck in created/unknown,
 * or exited while the pod's restartPolicy allows another run. A pod being deleted restarts nothing.
 */
export function shouldContainerBeRestarted(container: Container, pod: Pod, observed: ObservedPod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const current = currentInstance(observed, container.name);
  if (!current) return true;
  if (current.state === 'running') return false;
  if (current.state === 'unknown' || current.state === 'created') return true;
  const policy = podRestartPolicy(pod);
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && current.exitCode === 0) return false;
  return true;
}

/** The newest instance exited with code 0 (used for OnFailure pods and finished init containers). */
export function containerSucceeded(container: Container, observed: ObservedPod): boolean {
  const current = currentInstance(observed, container.name);
  return current?.state === 'exited' && current.exitCode === 0;
}

/** shouldRestartOnFailure: only restartPolicy Never leaves a failed container (or pod) dead. */
export function shouldRestartOnFailure(pod: Pod): boolean {
  return podRestartPolicy(pod) !== 'Never';
}
