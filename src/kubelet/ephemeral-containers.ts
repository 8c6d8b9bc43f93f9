/**
 * Ephemeral containers in the kubelet (kuberuntime_manager.go computePodActions,
 * kuberuntime_container.go startSpec.getTargetID, v1.32). Pure: pod-actions.ts and
 * container-start.ts call these.
 *
 * Rules:
 *  - an ephemeral container is started once: when the runtime holds no instance of it (in any
 *    sandbox of the pod), never again after that, whatever the pod's restartPolicy or its exit;
 *  - it is started before init containers, so a pod stuck initializing can still be debugged;
 *  - with targetContainerName, it runs in the PID namespace of that container's current
 *    instance, which must be running; otherwise the start fails with CreateContainerConfigError
 *    "unable to find target container X" and is tried again on the next sync (as upstream).
 */
import type { EphemeralContainer, Pod } from 'kubernetes-types/core/v1';
import { currentInstance, type ObservedPod } from './observed.js';

export { ephemeralAsContainer as asContainer } from '../api/validation/ephemeral-containers.js';

export function ephemeralContainerOf(pod: Pod, name: string): EphemeralContainer | undefined {
  return pod.spec?.ephemeralContainers?.find((ec) => ec.name === name);
}

/** Names of the ephemeral containers never started yet, in spec order. */
export function ephemeralContainersToStart(pod: Pod, observed: ObservedPod): string[] {
  return (pod.spec?.ephemeralContainers ?? [])
    .filter((ec) => currentInstance(observed, ec.name) === undefined)
    .map((ec) => ec.name);
}

/** A target container that is not running: the start is a CreateContainerConfigError. */
export class TargetContainerNotFound extends Error {
  override readonly name = 'TargetContainerNotFound';
  constructor(readonly target: string) {
    super(`unable to find target container ${target}`);
  }
}

/**
 * getTargetID: the runtime id of the running instance whose PID namespace `ec` joins, or
 * undefined when it names no target. Throws TargetContainerNotFound.
 */
export function targetContainerId(ec: EphemeralContainer, observed: ObservedPod): string | undefined {
  const target = ec.targetContainerName;
  if (!target) return undefined;
  const current = currentInstance(observed, target);
  if (current?.state !== 'running') throw new TargetContainerNotFound(target);
  return current.id;
}
