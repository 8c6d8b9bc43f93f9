/**
 * Starting one container (kuberuntime_container.go startContainer, plus doBackOff and the image
 * puller): back-off check, image "pull" through the catalog, config, create, start, postStart.
 * Each failure is remembered as the container's start failure (what its waiting state shows)
 * and reported with kubelet's events:
 *
 *   back-off holds     → CrashLoopBackOff, Warning BackOff "Back-off restarting failed container ..."
 *   image unresolvable → ErrImagePull (Warning Failed), then ImagePullBackOff (Normal BackOff)
 *   config error       → CreateContainerConfigError, Warning Failed "Error: <message>"
 *   create/start error → CreateContainerError / RunContainerError, Warning Failed "Error: ..."
 *   success            → Normal Pulled, Created, Started; postStart failure → FailedPostStartHook
 */
import { join } from 'node:path';
import type { Container, EphemeralContainer, Pod } from 'kubernetes-types/core/v1';
import type { ResolvedImage } from '../runtime/types.js';
import { backoffEventMessage, backoffKey } from './backoff.js';
import { buildContainerConfig, verifyRunAsNonRoot } from './container-config.js';
import { hashContainer } from './container-hash.js';
import { CreateContainerConfigError } from './env.js';
import { TargetContainerNotFound, targetContainerId } from './ephemeral-containers.js';
import { runHook } from './hooks.js';
import { containerEvent, type KubeletDeps, type PodMemory } from './kubelet-deps.js';
import { currentInstance, formatPod, type ObservedPod } from './observed.js';
import { terminationGracePeriodSeconds } from './pod-actions.js';
import {
  crashLoopBackOff,
  createContainerConfigError,
  errImagePull,
  imagePullBackOff,
  runtimeStartFailure,
} from './start-failures.js';
import { prepareTerminationMessage } from './termination-message.js';
import type { PreparedVolume } from './volumes/setup.js';

export interface StartOutcome {
  readonly started: boolean;
  /** Sync again after this many ms (a back-off that will expire). */
  readonly retryAfterMs?: number;
}

/** Which list of the pod spec a container comes from. */
export type ContainerType = 'init' | 'regular' | 'ephemeral';

export interface StartRequest {
  readonly pod: Pod;
  readonly memory: PodMemory;
  /** The container to run (for an ephemeral container: its EphemeralContainerCommon). */
  readonly container: Container;
  readonly isInit: boolean;
  /** Set when starting an ephemeral container: its targetContainerName picks a PID namespace. */
  readonly ephemeral?: EphemeralContainer;
  readonly sandboxId: string;
  readonly observed: ObservedPod;
  readonly volumes: ReadonlyMap<string, PreparedVolume>;
  readonly podIPs: readonly string[];
}

export async function startContainer(deps: KubeletDeps, r: StartRequest): Promise<StartOutcome> {
  const { pod, container, memory } = r;
  const name = container.name;
  const meta = {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    uid: pod.metadata?.uid ?? '',
  };
  const current = currentInstance(r.observed, name);
  const nowMs = deps.now().getTime();

  if (current?.state === 'exited' && current.finishedAt) {
    const key = backoffKey(meta, name, hashContainer(container));
    const finishedMs = Date.parse(current.finishedAt);
    const verdict = deps.containerBackoff.check(key, finishedMs, nowMs);
    if (verdict.inBackoff) {
      memory.startFailures.set(name, crashLoopBackOff(verdict.periodMs, name, pod));
      containerEvent(deps, pod, name, 'Warning', 'BackOff', backoffEventMessage(name, formatPod(pod)));
      return { started: false, retryAfterMs: deps.containerBackoff.remainingMs(key, finishedMs, nowMs) + 50 };
    }
  }

  const image = await pullImage(deps, r);
  if (!image) return { started: false, retryAfterMs: deps.imageBackoff.baseMs };

  let pidNamespaceTargetId: string | undefined;
  try {
    pidNamespaceTargetId = r.ephemeral && targetContainerId(r.ephemeral, r.observed);
  } catch (err) {
    if (err instanceof TargetContainerNotFound) return configFailure(deps, r, err.message);
    throw err;
  }

  const nonRoot = verifyRunAsNonRoot(pod, container, image);
  if (nonRoot) return configFailure(deps, r, nonRoot);

  const restartCount = current ? current.restartCount + 1 : 0;
  let built: Awaited<ReturnType<typeof buildContainerConfig>>;
  try {
    built = await buildContainerConfig({
      pod,
      container,
      type: r.ephemeral ? 'ephemeral' : r.isInit ? 'init' : 'regular',
      ...(pidNamespaceTargetId !== undefined && { pidNamespaceTargetId }),
      restartCount,
      image,
      volumes: r.volumes,
      lookups: deps.lookups,
      addresses: { hostIPs: deps.hostIPs, podIPs: r.podIPs },
      allocatable: deps.allocatable,
    });
  } catch (err) {
    if (err instanceof CreateContainerConfigError) return configFailure(deps, r, err.message);
    throw err;
  }
  for (const w of built.warnings) containerEvent(deps, pod, name, 'Warning', w.reason, w.message);
  const termination = await prepareTerminationMessage(join(deps.podsDir, meta.uid), container);
  if (termination) {
    built.config.mounts = [...(built.config.mounts ?? []), termination.mount];
    built.config.annotations = { ...built.config.annotations, ...termination.annotations };
  }

  let id: string;
  try {
    id = await deps.runtime.createContainer(r.sandboxId, built.config);
  } catch (err) {
    const message = (err as Error).message;
    memory.startFailures.set(name, runtimeStartFailure('create', message));
    containerEvent(deps, pod, name, 'Warning', 'Failed', `Error: ${message}`);
    return { started: false, retryAfterMs: 1000 };
  }
  containerEvent(deps, pod, name, 'Normal', 'Created', `Created container: ${name}`);
  try {
    await deps.runtime.startContainer(id);
  } catch (err) {
    const message = (err as Error).message;
    memory.startFailures.set(name, runtimeStartFailure('start', message));
    containerEvent(deps, pod, name, 'Warning', 'Failed', `Error: ${message}`);
    return { started: false, retryAfterMs: 1000 };
  }
  memory.startFailures.delete(name);
  containerEvent(deps, pod, name, 'Normal', 'Started', `Started container ${name}`);

  const postStart = container.lifecycle?.postStart;
  if (postStart) {
    const failure = await runHook(postStart, {
      containerId: id,
      container,
      podIP: r.podIPs[0] ?? '',
      runtime: deps.runtime,
      timeoutSeconds: terminationGracePeriodSeconds(pod, container, 'FailedPostStartHook'),
      secondMs: deps.secondMs,
    });
    if (failure !== undefined) {
      // The message is not put in the event, so that secrets do not leak (as upstream).
      containerEvent(deps, pod, name, 'Warning', 'FailedPostStartHook', 'PostStartHook failed');
      containerEvent(deps, pod, name, 'Normal', 'Killing', `FailedPostStartHook`);
      await deps.runtime.stopContainer(
        id,
        terminationGracePeriodSeconds(pod, container, 'FailedPostStartHook'),
      );
      return { started: false, retryAfterMs: 100 };
    }
  }
  return { started: true };
}

/** The catalog lookup, behind the image-pull back-off (EnsureImageExists). */
async function pullImage(deps: KubeletDeps, r: StartRequest): Promise<ResolvedImage | undefined> {
  const { pod, container, memory } = r;
  const imageName = container.image ?? '';
  const key = `${pod.metadata?.uid}_${imageName}`;
  const nowMs = deps.now().getTime();
  if (deps.imageBackoff.inBackoffSinceUpdate(key, nowMs).inBackoff) {
    memory.startFailures.set(container.name, imagePullBackOff(imageName));
    containerEvent(
      deps,
      pod,
      container.name,
      'Normal',
      'BackOff',
      `Back-off pulling image ${JSON.stringify(imageName)}`,
    );
    containerEvent(deps, pod, container.name, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    return undefined;
  }
  try {
    const image = await deps.images.pullImage(imageName);
    containerEvent(
      deps,
      pod,
      container.name,
      'Normal',
      'Pulled',
      `Container image ${JSON.stringify(imageName)} already present on machine`,
    );
    return image;
  } catch (err) {
    const message = (err as Error).message;
    deps.imageBackoff.recordFailure(key, nowMs);
    memory.startFailures.set(container.name, errImagePull(message));
    containerEvent(
      deps,
      pod,
      container.name,
      'Warning',
      'Failed',
      `Failed to pull image ${JSON.stringify(imageName)}: ${message}`,
    );
    containerEvent(deps, pod, container.name, 'Warning', 'Failed', 'Error: ErrImagePull');
    return undefined;
  }
}

function configFailure(deps: KubeletDeps, r: StartRequest, message: string): StartOutcome {
  r.memory.startFailures.set(r.container.name, createContainerConfigError(message));
  containerEvent(deps, r.pod, r.container.name, 'Warning', 'Failed', `Error: ${message}`);
  return { started: false, retryAfterMs: 2000 };
}
