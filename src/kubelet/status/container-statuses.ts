/**
 * containerStatuses / initContainerStatuses / ephemeralContainerStatuses as kubelet builds them
 * (kubelet_pods.go convertToAPIContainerStatuses, v1.32):
 *  1. every spec container starts as waiting ContainerCreating (PodInitializing when the pod has
 *     init containers), carrying restartCount and lastState over from the previous status; a
 *     previous terminated status is kept as is when the runtime no longer knows the container;
 *  2. a container that was running and vanished from the runtime gets lastState terminated
 *     ContainerStatusUnknown (exit 137) so the pod does not fall back to Pending;
 *  3. the newest runtime instance becomes `state`, the one before it `lastState`;
 *  4. a container the next sync will start again shows the last start failure (kubelet's
 *     reasonCache: CrashLoopBackOff, ErrImagePull, CreateContainerConfigError, ...) as waiting,
 *     moving a terminated state to lastState;
 *  5. the prober fills started/ready.
 * Regular statuses are sorted by name (as upstream), init statuses by spec order.
 */
import type { Container, ContainerState, ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import { asContainer } from '../ephemeral-containers.js';
import { apiContainerID, instancesOf, type ObservedContainer, type ObservedPod } from '../observed.js';
import { shouldContainerBeRestarted } from '../restart-policy.js';
import { applyProbeResults, type ProbeView } from './probe-view.js';

export const CONTAINER_CREATING = 'ContainerCreating';
export const POD_INITIALIZING = 'PodInitializing';
export const CONTAINER_STATUS_UNKNOWN = 'ContainerStatusUnknown';

/** A failed start remembered per container name (kubelet's reasonCache entry). */
export interface StartFailure {
  /** CrashLoopBackOff, ErrImagePull, ImagePullBackOff, CreateContainerConfigError, ... */
  readonly reason: string;
  readonly message: string;
}

export interface ContainerStatusInputs {
  readonly pod: Pod;
  readonly observed: ObservedPod;
  readonly probes: ProbeView;
  /** Last start failure by container name; cleared by the pod worker once a start succeeds. */
  readonly startFailures: ReadonlyMap<string, StartFailure>;
}

export function buildContainerStatuses(inputs: ContainerStatusInputs, isInit: boolean): ContainerStatus[] {
  return buildStatuses(inputs, isInit ? 'init' : 'regular');
}

/**
 * ephemeralContainerStatuses: the same rules over spec.ephemeralContainers (upstream converts
 * them as non-init containers), sorted by name; no probes, so never ready.
 */
export function buildEphemeralContainerStatuses(inputs: ContainerStatusInputs): ContainerStatus[] {
  return buildStatuses(inputs, 'ephemeral');
}

function specAndPrevious(pod: Pod, list: 'init' | 'regular' | 'ephemeral') {
  const spec = pod.spec;
  const status = pod.status;
  if (list === 'init') return { containers: spec?.initContainers, previous: status?.initContainerStatuses };
  if (list === 'regular') return { containers: spec?.containers, previous: status?.containerStatuses };
  return {
    containers: spec?.ephemeralContainers?.map(asContainer),
    previous: status?.ephemeralContainerStatuses,
  };
}

function buildStatuses(
  inputs: ContainerStatusInputs,
  list: 'init' | 'regular' | 'ephemeral',
): ContainerStatus[] {
  const { pod, observed } = inputs;
  const isInit = list === 'init';
  const lists = specAndPrevious(pod, list);
  const containers = lists.containers ?? [];
  const previous = lists.previous ?? [];
  const previousByName = new Map(previous.map((s) => [s.name, s]));
  const hasInit = (pod.spec?.initContainers ?? []).length > 0;
  const defaultReason = hasInit ? POD_INITIALIZING : CONTAINER_CREATING;

  const result: ContainerStatus[] = [];
  for (const container of containers) {
    const old = previousByName.get(container.name);
    const instances = instancesOf(observed, container.name);
    let status: ContainerStatus;
    if (old?.state?.terminated) {
      status = structuredClone(old);
    } else {
      status = {
        name: container.name,
        image: container.image ?? '',
        imageID: '',
        ready: false,
        restartCount: old?.restartCount ?? 0,
        state: { waiting: { reason: defaultReason } },
        lastState: structuredClone(old?.lastState ?? {}),
      };
    }
    if (instances.length === 0 && old?.state?.running && !status.lastState?.terminated) {
      markVanished(status, pod);
    }
    const [current, before] = instances;
    if (current) {
      // A runtime instance replaces the whole status, as convertContainerStatus builds a new one.
      status = { name: container.name, ready: false, ...fromRuntime(current, old) } as ContainerStatus;
      status.lastState = before ? fromRuntime(before, undefined).state : {};
    }
    applyStartFailure(inputs, container, status, isInit, current);
    // The prober runs for regular and init containers only (ephemeral ones have no probes).
    if (list !== 'ephemeral') applyProbeResults(container, status, current?.id, inputs.probes, isInit);
    result.push(status);
  }
  if (!isInit) result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return result;
}

/** Step 2: the container was running and the runtime lost it. */
function markVanished(status: ContainerStatus, pod: Pod): void {
  const isDefaultWaiting =
    status.state?.waiting?.reason === CONTAINER_CREATING ||
    status.state?.waiting?.reason === POD_INITIALIZING;
  if (!isDefaultWaiting) return;
  status.lastState = {
    terminated: {
      reason: CONTAINER_STATUS_UNKNOWN,
      message:
        'The container could not be located when the pod was deleted.  The container used to be Running',
      exitCode: 137,
    },
  };
  if (!pod.metadata?.deletionTimestamp) status.restartCount = (status.restartCount ?? 0) + 1;
}

/** Step 3 (convertContainerStatus): one runtime instance as an API status. */
function fromRuntime(
  instance: ObservedContainer,
  old: ContainerStatus | undefined,
): Partial<ContainerStatus> {
  const containerID = apiContainerID(instance.id);
  const base = {
    restartCount: instance.restartCount,
    image: instance.image,
    imageID: instance.imageRef,
    containerID,
  };
  let state: ContainerState;
  switch (instance.state) {
    case 'running':
      state = { running: { startedAt: metaTime(instance.startedAt) } };
      break;
    case 'created':
      state = { waiting: {} };
      break;
    case 'exited':
      state = {
        terminated: {
          exitCode: instance.exitCode ?? 0,
          // CRI runtimes report Completed/Error/OOMKilled; derive the first two if one did not.
          reason: instance.reason || ((instance.exitCode ?? 0) === 0 ? 'Completed' : 'Error'),
          message: instance.message || undefined,
          startedAt: metaTime(instance.startedAt),
          finishedAt: metaTime(instance.finishedAt),
          containerID,
        },
      };
      break;
    default:
      if (old?.state?.running) {
        // It ran and the runtime cannot say how it ended: "container ran and failed", never
        // "never ran", so run-once pods are not run twice.
        return {
          ...base,
          restartCount: (old.restartCount ?? 0) + 1,
          state: {
            terminated: {
              reason: CONTAINER_STATUS_UNKNOWN,
              message: 'The container could not be located when the pod was terminated',
              exitCode: 137,
            },
          },
        };
      }
      state = { waiting: {} };
  }
  return { ...base, state: dropUndefined(state) };
}

/** Step 4: show why the next start is held back (only for containers that will be started). */
function applyStartFailure(
  inputs: ContainerStatusInputs,
  container: Container,
  status: ContainerStatus,
  isInit: boolean,
  current: ObservedContainer | undefined,
): void {
  if (isInit && current?.state === 'exited' && current.exitCode === 0) return;
  if (!shouldContainerBeRestarted(container, inputs.pod, inputs.observed)) return;
  const failure = inputs.startFailures.get(container.name);
  if (!failure) return;
  if (status.state?.terminated) status.lastState = status.state;
  status.state = { waiting: { reason: failure.reason, message: failure.message } };
}

/** metav1.Time serializes RFC 3339 at second precision, in UTC. */
function metaTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 19)}Z` : value;
}

function dropUndefined(state: ContainerState): ContainerState {
  return JSON.parse(JSON.stringify(state)) as ContainerState;
}
