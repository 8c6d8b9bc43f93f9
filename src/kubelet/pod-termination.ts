/**
 * Stopping containers and pods (kuberuntime_container.go killContainer / killContainersWithSyncResult,
 * kuberuntime_manager.go KillPod) and removing what a finished pod left (kubelet's
 * syncTerminatedPod + container GC):
 *
 *   killContainer:  Killing event → preStop hook (counts against the grace period; a hook still
 *                   running when it ends gets a one-off 2 s) → stop signal, SIGKILL at the end
 *   killPod:        regular (and running init) containers together, then native sidecars one by
 *                   one in reverse declaration order (terminationStages), then the sandbox
 *   removePod:      volumes unmounted, containers and sandboxes removed, the pod dir deleted
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { type LongTimeout, setLongTimeout } from '../util/long-timeout.js';
import { asContainer, ephemeralContainerOf } from './ephemeral-containers.js';
import { runHook } from './hooks.js';
import { containerEvent, type KubeletDeps } from './kubelet-deps.js';
import type { ObservedContainer, ObservedPod } from './observed.js';
import {
  type KillReason,
  MINIMUM_GRACE_PERIOD_SECONDS,
  terminationGracePeriodSeconds,
  terminationStages,
} from './pod-actions.js';
import type { RuntimePod } from './runtime-view.js';
import { tearDownPodVolumes } from './volumes/setup.js';

/** kubelet's minimum extra time for a preStop hook that outlives the grace period. */
const PRESTOP_EXTENSION_SECONDS = 2;

/** The spec of a container of any kind (an ephemeral one as its EphemeralContainerCommon). */
export function specOf(pod: Pod, name: string): Container | undefined {
  const ephemeral = ephemeralContainerOf(pod, name);
  if (ephemeral) return asContainer(ephemeral);
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
}

/** Stops one running container; `message` is the Killing event text (default "Stopping container X"). */
export async function killContainer(
  deps: KubeletDeps,
  pod: Pod,
  instance: ObservedContainer,
  graceSeconds: number,
  message?: string,
): Promise<void> {
  const spec = specOf(pod, instance.name);
  containerEvent(
    deps,
    pod,
    instance.name,
    'Normal',
    'Killing',
    message || `Stopping container ${instance.name}`,
  );
  let grace = Math.max(graceSeconds, 0);
  const preStop = spec?.lifecycle?.preStop;
  if (preStop && grace > 0) {
    const started = Date.now();
    const hook = runHook(preStop, {
      containerId: instance.id,
      container: spec,
      podIP: '',
      runtime: deps.runtime,
      timeoutSeconds: grace,
      secondMs: deps.secondMs,
    }).then((failure) => {
      if (failure !== undefined)
        containerEvent(deps, pod, instance.name, 'Warning', 'FailedPreStopHook', failure);
    });
    const limitMs = grace * deps.secondMs;
    const finished = await settlesWithin(hook, limitMs);
    const usedSeconds = (Date.now() - started) / deps.secondMs;
    grace = finished ? Math.max(grace - usedSeconds, 0) : 0;
    if (!finished) await settlesWithin(hook, PRESTOP_EXTENSION_SECONDS * deps.secondMs);
  }
  // Stopping an already stopped container is fine; one that vanished is already stopped.
  await deps.runtime
    .stopContainer(instance.id, Math.max(Math.ceil(grace), grace > 0 ? MINIMUM_GRACE_PERIOD_SECONDS : 0))
    .catch((err: Error) => {
      if (!/not found/i.test(err.message)) throw err;
    });
}

/**
 * Kills every running container of the pod in termination order, then stops the sandboxes.
 * `graceSeconds` undefined: each container's own grace period (pod spec or deletion).
 */
export async function killPod(
  deps: KubeletDeps,
  pod: Pod,
  observed: ObservedPod,
  runtimePod: RuntimePod | undefined,
  graceSeconds?: number,
): Promise<void> {
  const running = observed.containers.filter((c) => c.state === 'running' || c.state === 'created');
  const stages = terminationStages(pod);
  const staged = new Set(stages.flat());
  // Running regular init containers (and containers no longer in the spec) go with the first stage.
  const first = running.filter((c) => !staged.has(c.name) || (stages[0] ?? []).includes(c.name));
  const later = stages.slice(1).map((names) => running.filter((c) => names.includes(c.name)));
  const deadline = Date.now() + podGraceSeconds(pod, graceSeconds) * deps.secondMs;
  for (const group of [first, ...later]) {
    await Promise.all(
      group.map((c) => {
        const spec = specOf(pod, c.name);
        const own = graceSeconds ?? (spec ? terminationGracePeriodSeconds(pod, spec, '' as KillReason) : 0);
        // Later stages only get what remains of the pod's grace period.
        const remaining = Math.max(0, (deadline - Date.now()) / deps.secondMs);
        return killContainer(deps, pod, c, Math.min(own, Math.ceil(remaining)));
      }),
    );
  }
  for (const s of runtimePod?.sandboxes ?? []) {
    if (s.state === 'SANDBOX_READY') await deps.runtime.stopPodSandbox(s.id);
  }
}

/** The grace period for the whole pod: the deletion's, else the spec's (default 30 s). */
export function podGraceSeconds(pod: Pod, override?: number): number {
  if (override !== undefined) return override;
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/** Removes everything the pod has on this machine. Safe to call again. */
export async function removePod(
  deps: KubeletDeps,
  uid: string,
  runtimePod: RuntimePod | undefined,
): Promise<void> {
  for (const s of runtimePod?.sandboxes ?? []) {
    await deps.runtime.stopPodSandbox(s.id).catch(() => {});
    await deps.runtime.removePodSandbox(s.id);
  }
  const podDir = join(deps.podsDir, uid);
  await tearDownPodVolumes(podDir);
  await rm(podDir, { recursive: true, force: true });
}

/**
 * Container GC for a live pod: keeps the newest two instances of each container name (the current
 * one and the one `lastState` and `logs --previous` show); removes older exited ones.
 */
export async function removeOldInstances(deps: KubeletDeps, observed: ObservedPod): Promise<void> {
  const byName = new Map<string, ObservedContainer[]>();
  for (const c of observed.containers) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const list of byName.values()) {
    list.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    for (const old of list.slice(2)) {
      if (old.state === 'exited') await deps.runtime.removeContainer(old.id).catch(() => {});
    }
  }
}

/**
 * True when `p` settles within `ms`, false when the time runs out first. The grace period comes from the
 * object and may exceed setTimeout's limit; the timer does not outlive the race.
 */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: LongTimeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setLongTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true), expired]);
  } finally {
    timer?.clear();
  }
}
