/**
 * The three sync functions of kubelet's podSyncer (kubelet.go SyncPod, SyncTerminatingPod,
 * SyncTerminatedPod), composed from the decision modules. Compute first, then act:
 *
 *   syncPod:  1. observe the runtime and write its status; a terminal one (e.g. past the active
 *             deadline) ends the sync, otherwise the wake-up at the active deadline is armed
 *             2. computePodActions  3. kill what it says (pod or containers)  4. create the
 *             sandbox  5. set up / re-project volumes (FailedMount on error)  6. start new
 *             ephemeral containers, then init containers, then regular containers
 *             (container-start.ts)
 *             7. observe again, generatePodStatus, hand it to the status manager.
 *             Returns whether the pod reached a terminal phase, and when to sync again.
 *   syncTerminatingPod: kill every container in termination order, stop the sandbox, final status.
 *   syncTerminatedPod:  remove containers, sandboxes, volumes; delete the API object (grace 0)
 *             when the pod was being deleted.
 * Each throws on a failure the pod worker should retry.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { PodSandboxConfig } from '../runtime/types.js';
import { type ContainerType, startContainer } from './container-start.js';
import { asContainer, ephemeralContainerOf } from './ephemeral-containers.js';
import { type KubeletDeps, type PodMemory, podEvent } from './kubelet-deps.js';
import { type ObservedPod, podRestartPolicy } from './observed.js';
import { computePodActions, terminationGracePeriodSeconds } from './pod-actions.js';
import {
  killContainer,
  killPod,
  podGraceSeconds,
  removeOldInstances,
  removePod,
  specOf,
} from './pod-termination.js';
import { getRuntimePod, type RuntimePod, toObservedPod } from './runtime-view.js';
import { podSandboxConfig } from './sandbox-config.js';
import {
  activeDeadlineAt,
  DEADLINE_EXCEEDED_MESSAGE,
  DEADLINE_EXCEEDED_REASON,
} from './status/active-deadline.js';
import { generatePodStatus } from './status/pod-status.js';
import { type PreparedVolume, setUpVolume, tearDownPodVolumes } from './volumes/setup.js';

export interface SyncResult {
  /** Nothing in the pod will run again (phase Succeeded or Failed). */
  readonly terminal: boolean;
  /** Sync again after this many ms (a back-off expiring, a retry); undefined: on the next relist. */
  readonly retryAfterMs?: number;
}

/** Re-project configMap/secret volumes at most this often (kubelet's sync period is 1 min). */
const VOLUME_RESYNC_MS = 60_000;
const TERMINAL = new Set(['Succeeded', 'Failed']);

export async function runtimePodOf(deps: KubeletDeps, uid: string): Promise<RuntimePod | undefined> {
  return getRuntimePod(deps.runtime, uid);
}

export async function syncPod(deps: KubeletDeps, pod: Pod, memory: PodMemory): Promise<SyncResult> {
  const uid = pod.metadata?.uid ?? '';
  let runtimePod = await runtimePodOf(deps, uid);
  let observed = toObservedPod(runtimePod);
  if (TERMINAL.has(pod.status?.phase ?? '')) {
    deps.activeDeadlines.clear(uid);
    return { terminal: true };
  }
  // As kubelet's SyncPod: the status of what was observed is written before acting on it, so
  // every state the pod passes through (e.g. PodInitializing) reaches the API.
  const observedResult = writeStatus(deps, pod, memory, runtimePod, false);
  deps.statusManager.flush();
  // SyncPod: "If the pod is terminal, we don't need to continue to setup the pod" (a pod past its
  // active deadline): the pod worker's terminating step kills what still runs.
  if (observedResult.terminal) {
    deps.activeDeadlines.clear(uid);
    return observedResult;
  }
  // Wake at the active deadline, from the current spec and startTime (a lowered one re-arms), even
  // if this sync fails further on.
  deps.activeDeadlines.arm(uid, activeDeadlineAt(pod, deps.statusManager.getPodStatus(uid)));
  const actions = computePodActions(pod, observed, deps.probes.resultsView());
  const retries: number[] = [];

  if (actions.killPod && !actions.createSandbox) {
    // Nothing will run again: the pod is done (run-once pod finished, or a failed init container).
    // Whatever still runs (native sidecars) is stopped gracefully, in termination order.
    await killPod(deps, pod, observed, runtimePod);
    return writeStatus(deps, pod, memory, await runtimePodOf(deps, uid), true);
  }
  if (actions.killPod && observed.sandbox) {
    podEvent(deps, pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    await killPod(deps, pod, observed, runtimePod);
  }
  for (const kill of actions.containersToKill) {
    const instance = observed.containers.find((c) => c.id === kill.id);
    if (instance && (instance.state === 'running' || instance.state === 'created')) {
      const spec = specOf(pod, instance.name);
      // A probe-triggered kill may carry the probe's own terminationGracePeriodSeconds.
      const grace = spec ? terminationGracePeriodSeconds(pod, spec, kill.reason) : podGraceSeconds(pod);
      await killContainer(deps, pod, instance, grace, kill.message);
    }
    deps.probes.liveness.remove(kill.id);
    deps.probes.startup.remove(kill.id);
  }

  let sandboxId = actions.sandboxId;
  if (actions.createSandbox) {
    try {
      sandboxId = await deps.runtime.runPodSandbox(sandboxConfigOf(deps, pod, actions.attempt));
    } catch (err) {
      deps.resetNetwork?.();
      podEvent(
        deps,
        pod,
        'Warning',
        'FailedCreatePodSandBox',
        `Failed to create pod sandbox: ${(err as Error).message}`,
      );
      throw err;
    }
    runtimePod = await runtimePodOf(deps, uid);
    observed = toObservedPod(runtimePod);
  }
  // Ephemeral containers first (kubelet's SyncPod step 5), so a pod whose init containers
  // cannot start can still be debugged.
  const toStart: { name: string; type: ContainerType }[] = [
    ...actions.ephemeralContainersToStart.map((name) => ({ name, type: 'ephemeral' as const })),
    ...actions.initContainersToStart.map((name) => ({ name, type: 'init' as const })),
    ...actions.containersToStart.map((name) => ({ name, type: 'regular' as const })),
  ];
  if (sandboxId && toStart.length > 0) {
    const volumes = await setUpVolumes(deps, pod, memory, true);
    if (!volumes) retries.push(2000);
    else {
      // A hostNetwork pod's IPs are the node's (its sandbox has none of its own), for the
      // downward API's status.podIP(s) and httpGet hooks alike.
      const podIPs = pod.spec?.hostNetwork ? [...deps.hostIPs] : (observed.sandbox?.ips ?? []);
      for (const { name, type } of toStart) {
        const ephemeral = type === 'ephemeral' ? ephemeralContainerOf(pod, name) : undefined;
        const container = ephemeral
          ? asContainer(ephemeral)
          : (type === 'init' ? pod.spec?.initContainers : pod.spec?.containers)?.find((c) => c.name === name);
        if (!container) continue;
        const isInit = type === 'init';
        const outcome = await startContainer(deps, {
          pod,
          memory,
          container,
          isInit,
          ...(ephemeral && { ephemeral }),
          sandboxId,
          observed,
          volumes,
          podIPs,
        });
        if (outcome.retryAfterMs !== undefined) retries.push(outcome.retryAfterMs);
        // A regular init container that did not start holds back everything after it.
        if (isInit && !outcome.started && container.restartPolicy !== 'Always') break;
      }
    }
  } else if (sandboxId && Date.now() - memory.volumesSetUpAt > VOLUME_RESYNC_MS) {
    await setUpVolumes(deps, pod, memory, false);
  }
  runtimePod = await runtimePodOf(deps, uid);
  await removeOldInstances(deps, toObservedPod(runtimePod));
  const result = writeStatus(deps, pod, memory, await runtimePodOf(deps, uid), false);
  const retryAfterMs = retries.length > 0 ? Math.min(...retries) : undefined;
  return { ...result, ...(retryAfterMs !== undefined && { retryAfterMs }) };
}

/**
 * sandbox-config.ts's config plus the host namespaces the pod asks for (kubelet's
 * namespacesForPod: hostNetwork → NODE network, hostIPC → NODE IPC, hostPID → NODE PID) and the
 * pod pids limit.
 */
function sandboxConfigOf(deps: KubeletDeps, pod: Pod, attempt: number): PodSandboxConfig {
  const config = podSandboxConfig(pod, attempt, deps.sandboxOptions);
  if (deps.podPidsLimit > 0) config.pidsLimit = deps.podPidsLimit;
  if (pod.spec?.hostNetwork === true) config.hostNetwork = true;
  if (pod.spec?.hostIPC === true) config.hostIPC = true;
  if (pod.spec?.hostPID === true) config.hostPID = true;
  return config;
}

/** Sets up every volume; on failure records FailedMount and returns undefined. */
async function setUpVolumes(
  deps: KubeletDeps,
  pod: Pod,
  memory: PodMemory,
  required: boolean,
): Promise<Map<string, PreparedVolume> | undefined> {
  const podDir = join(deps.podsDir, pod.metadata?.uid ?? '');
  await mkdir(podDir, { recursive: true, mode: 0o750 });
  const prepared = new Map<string, PreparedVolume>();
  for (const volume of pod.spec?.volumes ?? []) {
    try {
      prepared.set(
        volume.name,
        await setUpVolume(pod, volume, podDir, {
          lookups: deps.lookups,
          allocatable: deps.allocatable,
          nodeAllocatableMemoryBytes: deps.nodeAllocatableMemoryBytes,
          resync: !required,
        }),
      );
    } catch (err) {
      const message = `MountVolume.SetUp failed for volume "${volume.name}" : ${(err as Error).message}`;
      podEvent(deps, pod, 'Warning', 'FailedMount', message);
      if (required) return undefined;
    }
  }
  memory.volumesSetUpAt = Date.now();
  return prepared;
}

/**
 * Generates the status from what the runtime reports now and hands it to the status manager.
 * The status that first says DeadlineExceeded records the event active_deadline.go's ShouldEvict
 * records (Normal; upstream records it again at each status generation until the pod is gone).
 */
export function writeStatus(
  deps: KubeletDeps,
  pod: Pod,
  memory: PodMemory,
  runtimePod: RuntimePod | undefined,
  podIsTerminal: boolean,
): SyncResult {
  const observed = toObservedPod(runtimePod);
  const previous = deps.statusManager.getPodStatus(pod.metadata?.uid ?? '') ?? pod.status;
  const status = podStatus(deps, pod, memory, observed, previous, podIsTerminal);
  if (status.reason === DEADLINE_EXCEEDED_REASON && previous?.reason !== DEADLINE_EXCEEDED_REASON) {
    podEvent(deps, pod, 'Normal', DEADLINE_EXCEEDED_REASON, DEADLINE_EXCEEDED_MESSAGE);
  }
  deps.statusManager.setPodStatus(pod, status);
  return { terminal: TERMINAL.has(status.phase ?? '') };
}

function podStatus(
  deps: KubeletDeps,
  pod: Pod,
  memory: PodMemory,
  observed: ObservedPod,
  previous: PodStatus | undefined,
  terminal: boolean,
): PodStatus {
  const status = generatePodStatus({
    pod: { ...pod, ...(previous && { status: previous }) },
    observed,
    probes: deps.probes.probeView(),
    startFailures: memory.startFailures,
    podIsTerminal: terminal || memory.eviction !== undefined,
    hostIPs: deps.hostIPs,
    now: deps.now(),
  });
  return memory.eviction ? evictedStatus(status, memory.eviction.message, deps.now()) : status;
}

/**
 * The eviction manager's status for an evicted pod (eviction_manager.go evictPod): phase
 * Failed, reason Evicted, its message, and a DisruptionTarget condition from the kubelet.
 */
export function evictedStatus(status: PodStatus, message: string, now: Date): PodStatus {
  const prior = status.conditions?.find((c) => c.type === 'DisruptionTarget');
  const condition = {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'TerminationByKubelet',
    message,
    lastTransitionTime:
      prior?.status === 'True' && prior.lastTransitionTime
        ? prior.lastTransitionTime
        : now.toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  const conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), condition];
  return { ...status, phase: 'Failed', reason: 'Evicted', message, conditions };
}

/** SyncTerminatingPod: every container stopped in termination order, then the sandbox. */
export async function syncTerminatingPod(
  deps: KubeletDeps,
  pod: Pod,
  memory: PodMemory,
  graceSeconds: number | undefined,
  podExistsInApi: boolean,
): Promise<void> {
  const uid = pod.metadata?.uid ?? '';
  const runtimePod = await runtimePodOf(deps, uid);
  await killPod(deps, pod, toObservedPod(runtimePod), runtimePod, graceSeconds);
  if (podExistsInApi) {
    // A deleted pod keeps its phase unless it was Pending/Running with containers that failed.
    const deleting = pod.metadata?.deletionTimestamp !== undefined;
    const restartNever = podRestartPolicy(pod) !== 'Always';
    writeStatus(deps, pod, memory, await runtimePodOf(deps, uid), deleting || restartNever);
    deps.statusManager.flush();
  }
}

/** SyncTerminatedPod: the pod's resources are released; a deleted pod's API object goes away. */
export async function syncTerminatedPod(deps: KubeletDeps, pod: Pod, podExistsInApi: boolean): Promise<void> {
  const uid = pod.metadata?.uid ?? '';
  deps.activeDeadlines.clear(uid);
  const deleting = pod.metadata?.deletionTimestamp !== undefined || !podExistsInApi;
  if (deleting) {
    await removePod(deps, uid, await runtimePodOf(deps, uid));
    await deps.probes.removePod(uid);
    if (podExistsInApi) {
      try {
        deps.client.delete('pods', pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', {
          gracePeriodSeconds: 0,
          preconditions: { uid },
        });
      } catch (err) {
        if ((err as { code?: number }).code !== 404 && !/not found/i.test(String(err))) throw err;
      }
    }
    deps.statusManager.removePod(uid);
    return;
  }
  // A finished pod that stays in the API keeps its containers (for logs) but frees its volumes.
  const podDir = join(deps.podsDir, uid);
  await tearDownPodVolumes(podDir);
  await deps.probes.removePod(uid);
}
