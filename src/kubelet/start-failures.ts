/**
 * The waiting reasons and messages kubelet shows when it cannot start a container (its
 * reasonCache), built in one place so status, events and tests agree byte for byte.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { backoffMessage } from './backoff.js';
import { formatPod } from './observed.js';
import type { StartFailure } from './status/container-statuses.js';

export const CRASH_LOOP_BACK_OFF = 'CrashLoopBackOff';
export const ERR_IMAGE_PULL = 'ErrImagePull';
export const IMAGE_PULL_BACK_OFF = 'ImagePullBackOff';
export const CREATE_CONTAINER_CONFIG_ERROR = 'CreateContainerConfigError';
export const CREATE_CONTAINER_ERROR = 'CreateContainerError';
export const RUN_CONTAINER_ERROR = 'RunContainerError';

/** `back-off 40s restarting failed container=app pod=web_default(uid)`. */
export function crashLoopBackOff(periodMs: number, container: string, pod: Pod): StartFailure {
  return { reason: CRASH_LOOP_BACK_OFF, message: backoffMessage(periodMs, container, formatPod(pod)) };
}

/** The pull failed now: the image service's error text is the message. */
export function errImagePull(message: string): StartFailure {
  return { reason: ERR_IMAGE_PULL, message };
}

/** A later sync while the image pull back-off holds. */
export function imagePullBackOff(image: string): StartFailure {
  return { reason: IMAGE_PULL_BACK_OFF, message: `Back-off pulling image ${JSON.stringify(image)}` };
}

/** Env or volume-mount configuration could not be resolved (env.ts errors). */
export function createContainerConfigError(message: string): StartFailure {
  return { reason: CREATE_CONTAINER_CONFIG_ERROR, message };
}

/** The runtime failed to create or to start the container. */
export function runtimeStartFailure(stage: 'create' | 'start', message: string): StartFailure {
  return { reason: stage === 'create' ? CREATE_CONTAINER_ERROR : RUN_CONTAINER_ERROR, message };
}
