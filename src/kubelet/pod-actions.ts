/**
 * What the next sync must do for one pod: kuberuntime's computePodActions and
 * computeInitContainerActions (v1.32, SidecarContainers on). Pure: the pod workers execute the
 * returned PodActions in kubelet's order (kill pod / kill containers, create sandbox, start init
 * containers, start regular containers), consulting backoff.ts before every restart.
 *
 * Rules:
 *  - no ready sandbox: kill everything and create a new sandbox, then start from the first init
 *    container (or all regular containers), except that a restartPolicy Never pod whose containers
 *    already ran gets no new sandbox;
 *  - init containers run one at a time; a native sidecar lets the next one start once it is
 *    running and its startupProbe (if any) passed; a failed regular init container restarts,
 *    or kills the pod when restartPolicy is Never;
 *  - once initialized, only sidecars are kept running (restarted whatever the pod policy);
 *  - regular containers start together; running ones are killed on a spec hash change, liveness
 *    or startup probe failure (restarted unless restartPolicy Never);
 *  - nothing kept running and nothing to start: kill the pod (sidecars included);
 *  - with a ready sandbox, ephemeral containers never started are started, whatever the
 *    initialization progress (ephemeral-containers.ts).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { hashContainer } from './container-hash.js';
import { ephemeralContainersToStart } from './ephemeral-containers.js';
import {
  currentInstance,
  isRestartableInitContainer,
  type ObservedContainer,
  type ObservedPod,
  podRestartPolicy,
} from './observed.js';
import { containerSucceeded, shouldContainerBeRestarted, shouldRestartOnFailure } from './restart-policy.js';

/** kuberuntime's containerKillReason values. */
export type KillReason = 'StartupProbe' | 'LivenessProbe' | 'FailedPostStartHook' | 'Unknown' | '';

export interface ContainerToKill {
  readonly id: string;
  readonly name: string;
  /** Killing event text, e.g. `Container app failed liveness probe, will be restarted`. */
  readonly message: string;
  readonly reason: KillReason;
}

export interface PodActions {
  /** Stop every container and the sandbox (before creating a new one, or because the pod is done). */
  killPod: boolean;
  createSandbox: boolean;
  /** The existing sandbox to reuse (absent when one is created). */
  sandboxId?: string;
  /** Attempt number for a new sandbox. */
  attempt: number;
  /** Init container names to start, in spec order. */
  initContainersToStart: string[];
  /** Regular container names to start, in spec order. */
  containersToStart: string[];
  /** Ephemeral container names to start (once each), started before init containers. */
  ephemeralContainersToStart: string[];
  containersToKill: ContainerToKill[];
}

/** Latest liveness/startup results by runtime container id (undefined: not probed yet). */
export interface ProbeResultsView {
  liveness(containerId: string): 'Success' | 'Failure' | undefined;
  startup(containerId: string): 'Success' | 'Failure' | undefined;
}

export const NO_PROBES_RUN: ProbeResultsView = { liveness: () => undefined, startup: () => undefined };

export function computePodActions(
  pod: Pod,
  observed: ObservedPod,
  probes: ProbeResultsView = NO_PROBES_RUN,
): PodActions {
  const sandbox = observed.sandbox;
  const createSandbox = !sandbox?.ready;
  const actions: PodActions = {
    killPod: createSandbox,
    createSandbox,
    attempt: sandbox ? (sandbox.ready ? sandbox.attempt : sandbox.attempt + 1) : 0,
    initContainersToStart: [],
    containersToStart: [],
    ephemeralContainersToStart: [],
    containersToKill: [],
  };
  if (sandbox?.ready) actions.sandboxId = sandbox.id;
  const containers = pod.spec?.containers ?? [];
  const initContainers = pod.spec?.initContainers ?? [];

  if (createSandbox) {
    if (!shouldRestartOnFailure(pod) && actions.attempt !== 0 && observed.containers.length > 0) {
      // The sandbox died under a run-once pod whose containers already ran: never rerun them.
      actions.createSandbox = false;
      return actions;
    }
    const toStart = containers
      .filter((c) => !(podRestartPolicy(pod) === 'OnFailure' && containerSucceeded(c, observed)))
      .map((c) => c.name);
    if (toStart.length === 0 && hasAnyRegularContainerCreated(pod, observed)) {
      actions.createSandbox = false;
      return actions;
    }
    if (initContainers.length > 0) {
      actions.initContainersToStart = [initContainers[0]?.name ?? ''];
      return actions;
    }
    actions.containersToStart = toStart;
    return actions;
  }

  // Ephemeral containers may be started even if initialization is not yet complete.
  actions.ephemeralContainersToStart = ephemeralContainersToStart(pod, observed);

  const initialized = computeInitContainerActions(pod, observed, probes, actions);
  if (actions.killPod || !initialized) return actions;

  let keepCount = 0;
  for (const container of containers) {
    const current = currentInstance(observed, container.name);
    if (current?.state !== 'running') {
      if (shouldContainerBeRestarted(container, pod, observed)) {
        actions.containersToStart.push(container.name);
        if (current?.state === 'unknown') {
          actions.containersToKill.push(
            killInfo(current, `Container is in "unknown" state, try killing it before restart`, 'Unknown'),
          );
        }
      }
      continue;
    }
    let message: string;
    let reason: KillReason = '';
    let restart = shouldRestartOnFailure(pod);
    if (specChanged(container, current)) {
      message = `Container ${container.name} definition changed`;
      restart = true;
    } else if (probes.liveness(current.id) === 'Failure') {
      message = `Container ${container.name} failed liveness probe`;
      reason = 'LivenessProbe';
    } else if (probes.startup(current.id) === 'Failure') {
      message = `Container ${container.name} failed startup probe`;
      reason = 'StartupProbe';
    } else {
      keepCount++;
      continue;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      actions.containersToStart.push(container.name);
    }
    actions.containersToKill.push(killInfo(current, message, reason));
  }
  if (keepCount === 0 && actions.containersToStart.length === 0) {
    actions.killPod = true;
    actions.initContainersToStart = [];
  }
  return actions;
}

/**
 * Walks init containers from last to first to find where initialization stands. Returns whether
 * the pod is (or was) initialized; fills initContainersToStart/containersToKill, or sets killPod.
 */
function computeInitContainerActions(
  pod: Pod,
  observed: ObservedPod,
  probes: ProbeResultsView,
  actions: PodActions,
): boolean {
  const initContainers = pod.spec?.initContainers ?? [];
  if (initContainers.length === 0) return true;
  // A regular container exists, so initialization completed at some point in the past.
  let podHasInitialized = hasAnyRegularContainerCreated(pod, observed);
  // Walking backwards, everything before the newest started init container was initialized.
  let previouslyInitialized = podHasInitialized;
  const restartOnFailure = shouldRestartOnFailure(pod);
  const toStart: number[] = [];
  const kill = (c: ObservedContainer, message: string, reason: KillReason) =>
    actions.containersToKill.push(killInfo(c, message, reason));

  for (let i = initContainers.length - 1; i >= 0; i--) {
    const container = initContainers[i] as Container;
    const sidecar = isRestartableInitContainer(container);
    const current = currentInstance(observed, container.name);
    if (!current) {
      // A sidecar whose status vanished after initialization is started again.
      if (previouslyInitialized && sidecar) toStart.push(i);
      continue;
    }
    // After initialization only sidecars need to be kept running.
    if (previouslyInitialized && !sidecar) continue;
    const isLast = i === initContainers.length - 1;
    switch (current.state) {
      case 'created':
        // Created and not started means the start failed: start it again.
        toStart.push(i);
        break;
      case 'running': {
        if (!sidecar) break; // a regular init container: wait for it to exit
        if (container.startupProbe) {
          const startup = probes.startup(current.id);
          if (startup === undefined) break; // wait for the first startup result
          if (startup === 'Failure') {
            kill(current, `Init container ${container.name} failed startup probe`, 'StartupProbe');
            toStart.push(i);
            break;
          }
        }
        if (isLast) podHasInitialized = true;
        else if (!previouslyInitialized) toStart.push(i + 1);
        if (specChanged(container, current)) {
          kill(current, `Init container ${container.name} definition changed`, '');
          toStart.push(i);
          break;
        }
        // A sidecar's liveness does not hold back the next init container, only restarts it.
        if (container.livenessProbe && probes.liveness(current.id) === 'Failure') {
          kill(current, `Init container ${container.name} failed liveness probe`, 'LivenessProbe');
          toStart.push(i);
        }
        break;
      }
      case 'exited':
        if (sidecar) toStart.push(i);
        else if (current.exitCode !== 0) {
          if (!restartOnFailure) return killPodForFailedInit(actions);
          toStart.push(i);
        } else if (isLast) podHasInitialized = true;
        else toStart.push(i + 1);
        break;
      default:
        if (!sidecar && !restartOnFailure) return killPodForFailedInit(actions);
        kill(current, `Init container is in "unknown" state, try killing it before restart`, 'Unknown');
        toStart.push(i);
    }
    previouslyInitialized = true;
  }
  // No init container has been started yet: start the first one.
  if (!previouslyInitialized) toStart.push(0);
  actions.initContainersToStart = toStart.reverse().map((i) => initContainers[i]?.name ?? '');
  return podHasInitialized;
}

/** A failed init container under restartPolicy Never makes the pod terminal. */
function killPodForFailedInit(actions: PodActions): false {
  actions.killPod = true;
  actions.initContainersToStart = [];
  return false;
}

/** A regular container has an instance in any state (initialization happened before). */
function hasAnyRegularContainerCreated(pod: Pod, observed: ObservedPod): boolean {
  return (pod.spec?.containers ?? []).some((c) => {
    const state = currentInstance(observed, c.name)?.state;
    return state === 'created' || state === 'running' || state === 'exited';
  });
}

function specChanged(container: Container, current: ObservedContainer): boolean {
  return current.specHash !== undefined && current.specHash !== hashContainer(container);
}

function killInfo(c: ObservedContainer, message: string, reason: KillReason): ContainerToKill {
  return { id: c.id, name: c.name, message, reason };
}

/** kubelet's minimumGracePeriodInSeconds. */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

/**
 * setTerminationGracePeriod: the grace period for killing one container. A deletion's own grace
 * period wins; a probe-triggered kill uses the probe's terminationGracePeriodSeconds when set.
 */
export function terminationGracePeriodSeconds(pod: Pod, container: Container, reason: KillReason): number {
  const deletion = pod.metadata?.deletionGracePeriodSeconds;
  if (deletion !== undefined && deletion !== null) return deletion;
  const podGrace = pod.spec?.terminationGracePeriodSeconds;
  if (podGrace === undefined || podGrace === null) return MINIMUM_GRACE_PERIOD_SECONDS;
  const probe =
    reason === 'StartupProbe'
      ? container.startupProbe
      : reason === 'LivenessProbe'
        ? container.livenessProbe
        : undefined;
  return probe?.terminationGracePeriodSeconds ?? podGrace;
}

/**
 * Termination order (KEP-753): all regular containers together first, then native sidecars one by
 * one in reverse declaration order. Each inner array is one stage the pod worker awaits.
 */
export function terminationStages(pod: Pod): string[][] {
  const stages: string[][] = [(pod.spec?.containers ?? []).map((c) => c.name)];
  const sidecars = (pod.spec?.initContainers ?? []).filter(isRestartableInitContainer).map((c) => c.name);
  for (const name of sidecars.reverse()) stages.push([name]);
  return stages.filter((s) => s.length > 0);
}
