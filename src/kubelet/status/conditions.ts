/**
 * The kubelet-owned pod conditions (pkg/kubelet/status/generate.go, v1.32) and the status
 * manager's lastTransitionTime rule: a condition keeps its previous lastTransitionTime while its
 * status is unchanged, otherwise it gets `now`.
 *
 * Messages list container names the way Go prints a []string: `[a b]`.
 */
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';
import { isRestartableInitContainer } from '../observed.js';
import { hasAnyRegularContainerStarted, type PodPhase } from './phase.js';

export const UNKNOWN_CONTAINER_STATUSES = 'UnknownContainerStatuses';
export const POD_COMPLETED = 'PodCompleted';
export const POD_FAILED = 'PodFailed';
export const CONTAINERS_NOT_READY = 'ContainersNotReady';
export const CONTAINERS_NOT_INITIALIZED = 'ContainersNotInitialized';
export const READINESS_GATES_NOT_READY = 'ReadinessGatesNotReady';

/** Condition types the kubelet owns; others (readiness gates, DisruptionTarget) are preserved. */
export const KUBELET_CONDITION_TYPES: ReadonlySet<string> = new Set([
  'PodScheduled',
  'PodReadyToStartContainers',
  'Initialized',
  'ContainersReady',
  'Ready',
]);

const goList = (names: readonly string[]): string => `[${names.join(' ')}]`;

function condition(type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export function containersReadyCondition(
  pod: Pod,
  statuses: readonly ContainerStatus[],
  phase: PodPhase,
): PodCondition {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const unknown: string[] = [];
  const unready: string[] = [];
  const counted = [
    ...(pod.spec?.initContainers ?? []).filter(isRestartableInitContainer),
    ...(pod.spec?.containers ?? []),
  ];
  for (const container of counted) {
    const status = byName.get(container.name);
    if (!status) unknown.push(container.name);
    else if (!status.ready) unready.push(container.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0)
    return condition('ContainersReady', 'False', POD_COMPLETED);
  if (phase === 'Failed') return condition('ContainersReady', 'False', POD_FAILED);
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length > 0) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length > 0)
    return condition('ContainersReady', 'False', CONTAINERS_NOT_READY, messages.join(', '));
  return condition('ContainersReady', 'True');
}

/** Ready = ContainersReady and every readiness gate's condition True. */
export function podReadyCondition(
  pod: Pod,
  conditions: readonly PodCondition[],
  statuses: readonly ContainerStatus[],
  phase: PodPhase,
): PodCondition {
  const containersReady = containersReadyCondition(pod, statuses, phase);
  if (containersReady.status !== 'True') {
    return condition('Ready', 'False', containersReady.reason, containersReady.message);
  }
  const messages: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c)
      messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') {
      messages.push(
        `the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`,
      );
    }
  }
  if (messages.length > 0) return condition('Ready', 'False', READINESS_GATES_NOT_READY, messages.join(', '));
  return condition('Ready', 'True');
}

export function initializedCondition(
  pod: Pod,
  statuses: readonly ContainerStatus[],
  phase: PodPhase,
): PodCondition {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const container of pod.spec?.initContainers ?? []) {
    const status = byName.get(container.name);
    if (!status) {
      unknown.push(container.name);
      continue;
    }
    // A sidecar counts once started; a regular init container once it exited 0 (ready).
    const done = isRestartableInitContainer(container) ? status.started === true : status.ready;
    if (!done) incomplete.push(container.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return condition('Initialized', 'True', POD_COMPLETED);
  if (hasAnyRegularContainerStarted(pod, statuses)) return condition('Initialized', 'True');
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length > 0) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length > 0) {
    return condition('Initialized', 'False', CONTAINERS_NOT_INITIALIZED, messages.join(', '));
  }
  return condition('Initialized', 'True');
}

/** True once a ready sandbox with networking exists (no new sandbox needed). */
export function readyToStartContainersCondition(sandboxReady: boolean): PodCondition {
  return condition('PodReadyToStartContainers', sandboxReady ? 'True' : 'False');
}

/**
 * Status manager's updateLastTransitionTime: keep the old time while the status is unchanged.
 * Returns new condition objects; `now` is an RFC 3339 second-precision timestamp.
 */
export function stampTransitions(
  next: readonly PodCondition[],
  previous: readonly PodCondition[],
  now: string,
): PodCondition[] {
  return next.map((c) => {
    const old = previous.find((p) => p.type === c.type);
    const lastTransitionTime =
      old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return { ...c, lastTransitionTime };
  });
}
