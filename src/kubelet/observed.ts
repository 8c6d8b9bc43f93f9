/**
 * What the kubelet observed from the container runtime for one pod: kubelet's
 * kubecontainer.PodStatus, reduced to the fields the decision modules read. The runtime
 * (src/runtime) reports CRI ContainerStatus values; the pod workers convert them into this shape
 * so that status/ and pod-actions.ts stay pure and testable with tables.
 *
 * Contract: `containers` may hold several instances of one container name (the current one and
 * earlier, exited ones); the newest by `createdAt` is the current one, the next newest becomes
 * `lastState`, exactly as kubelet sorts runtime statuses by creation time.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';

/** kubecontainer.State: CRI states mapped to kubelet's names. */
export type ObservedState = 'created' | 'running' | 'exited' | 'unknown';

export interface ObservedContainer {
  readonly name: string;
  /** Runtime container id; the API shows it as `podbay://<id>`. */
  readonly id: string;
  readonly state: ObservedState;
  /** RFC 3339 timestamps as the runtime records them. */
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly exitCode?: number;
  /** Terminated reason from the runtime: Completed, Error, OOMKilled. */
  readonly reason?: string;
  readonly message?: string;
  /** The image as written in the spec and the resolved reference (imageID). */
  readonly image: string;
  readonly imageRef: string;
  /** The restart count recorded on this instance when it was created (kubelet's label). */
  readonly restartCount: number;
  /** Hash of the container spec this instance was created from (see container-hash.ts). */
  readonly specHash?: string;
}

export interface ObservedSandbox {
  readonly id: string;
  /** SANDBOX_READY: namespaces alive and network set up. */
  readonly ready: boolean;
  /** How many sandboxes this pod had before this one (kubelet's sandbox Attempt). */
  readonly attempt: number;
  readonly ips: readonly string[];
}

export interface ObservedPod {
  /** The newest sandbox, if any exists. */
  readonly sandbox?: ObservedSandbox;
  readonly containers: readonly ObservedContainer[];
}

/** Prefix kubelet puts in front of runtime container ids (`containerd://...`); ours is podbay. */
export const CONTAINER_ID_SCHEME = 'podbay';

export function apiContainerID(id: string): string {
  return `${CONTAINER_ID_SCHEME}://${id}`;
}

/** All instances of `name`, newest first (kubelet: SortContainerStatusesByCreationTime, reversed). */
export function instancesOf(observed: ObservedPod, name: string): ObservedContainer[] {
  return observed.containers
    .filter((c) => c.name === name)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** kubecontainer.PodStatus.FindContainerStatusByName: the newest instance. */
export function currentInstance(observed: ObservedPod, name: string): ObservedContainer | undefined {
  return instancesOf(observed, name)[0];
}

/** An init container with restartPolicy Always: a native sidecar (KEP-753). */
export function isRestartableInitContainer(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

/** spec.restartPolicy with the API default. */
export function podRestartPolicy(pod: Pod): 'Always' | 'OnFailure' | 'Never' {
  const policy = pod.spec?.restartPolicy;
  return policy === 'OnFailure' || policy === 'Never' ? policy : 'Always';
}

/** Upstream's format.Pod: `name_namespace(uid)`, used in kubelet's messages. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}
