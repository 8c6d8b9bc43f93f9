/**
 * The pod's READY, STATUS and RESTARTS cells: upstream printPod
 * (pkg/printers/internalversion/printers.go, current master, which knows native sidecars).
 *
 * STATUS is one ordered precedence rule; each step may overwrite the previous one:
 *   1. status.phase, overridden by status.reason ("Evicted"), then by a PodScheduled condition
 *      with reason SchedulingGated.
 *   2. Init containers in order: completed ones (exit 0) and started sidecars are skipped;
 *      the first other one decides: "Init:<terminated reason>", "Init:Signal:n",
 *      "Init:ExitCode:n", "Init:<waiting reason>" (except PodInitializing), else "Init:i/n".
 *   3. If no init container is blocking (or the Initialized condition is True), regular
 *      containers from LAST to FIRST, so the first container's state wins: waiting reason,
 *      terminated reason, "Signal:n", "ExitCode:n". A "Completed" pod with a container still
 *      running ready reads "Running" with Ready=True, else "NotReady".
 *   4. deletionTimestamp set: "Unknown" if the node was lost, else "Terminating" unless the
 *      phase is terminal.
 * READY counts ready+running regular containers and started+ready sidecars (restartable init
 * containers, which also count in the total). RESTARTS sums restart counts ("3 (5m ago)").
 */
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';
import { humanDuration } from './duration.js';
import { parseTimestamp } from './timestamps.js';

/** What printPod puts in the Ready, Status and Restarts cells. */
export interface PodSummary {
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
}

/** Pod.status.reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';
/** The PodScheduled condition reason of a pod held back by schedulingGates. */
const SCHEDULING_GATED = 'SchedulingGated';

/** Restart count and the newest finishedAt of a previous termination, if any. */
interface RestartTally {
  count: number;
  lastFinishedMs: number | undefined;
}

export function summarizePod(pod: Pod, now: Date): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason = status.reason ? status.reason : phase;
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'PodScheduled' && condition.reason === SCHEDULING_GATED) reason = SCHEDULING_GATED;
  }

  const initSpecs = new Map<string, Container>((spec?.initContainers ?? []).map((c) => [c.name, c]));
  const sidecarCount = (spec?.initContainers ?? []).filter(isRestartableInitContainer).length;
  const totalContainers = (spec?.containers ?? []).length + sidecarCount;
  let readyContainers = 0;

  const allRestarts: RestartTally = { count: 0, lastFinishedMs: undefined };
  const sidecarRestarts: RestartTally = { count: 0, lastFinishedMs: undefined };
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (const [i, c] of initStatuses.entries()) {
    const field = `status.initContainerStatuses[${i}]`;
    const sidecar = isRestartableInitContainer(initSpecs.get(c.name));
    tallyRestarts(allRestarts, c, field);
    if (sidecar) tallyRestarts(sidecarRestarts, c, field);

    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec?.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  let restarts = allRestarts;
  if (!initializing || isFirstConditionTrue(status.conditions, 'Initialized')) {
    // Once initialized, finished init containers' restarts no longer count; sidecars' do.
    restarts = { ...sidecarRestarts };
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      tallyRestarts(restarts, c, `status.containerStatuses[${i}]`);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A container still running ready means the pod is not done, whatever another one says.
    if (reason === 'Completed' && hasRunning) {
      reason = hasTrueCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return {
    ready: `${readyContainers}/${totalContainers}`,
    status: reason,
    restarts: formatRestarts(restarts, now),
  };
}

/** "0", "6", or "3 (10s ago)" when the newest previous termination has a finishedAt. */
function formatRestarts(tally: RestartTally, now: Date): string {
  if (tally.count === 0 || tally.lastFinishedMs === undefined) return String(tally.count);
  return `${tally.count} (${humanDuration(now.getTime() - tally.lastFinishedMs)} ago)`;
}

function tallyRestarts(tally: RestartTally, c: ContainerStatus, field: string): void {
  tally.count += c.restartCount ?? 0;
  const finished = parseTimestamp(
    c.lastState?.terminated?.finishedAt,
    `${field}.lastState.terminated.finishedAt`,
  );
  if (finished !== undefined && (tally.lastFinishedMs === undefined || finished > tally.lastFinishedMs)) {
    tally.lastFinishedMs = finished;
  }
}

/** podutil.IsRestartableInitContainer: an init container with restartPolicy Always (a sidecar). */
export function isRestartableInitContainer(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/** isPodInitializedConditionTrue: the first condition of that type decides. */
function isFirstConditionTrue(conditions: readonly PodCondition[] | undefined, type: string): boolean {
  return conditions?.find((c) => c.type === type)?.status === 'True';
}

/** hasPodReadyCondition: any condition of that type with status True. */
function hasTrueCondition(conditions: readonly PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** A Table row condition (metav1.TableRowCondition). */
export interface TableRowCondition {
  readonly type: 'Completed';
  readonly status: 'True';
  readonly reason: string;
  readonly message: string;
}

/**
 * The row conditions printPod attaches to finished pods (podSuccessConditions /
 * podFailedConditions), for the Table's `rows[].conditions`; none for other phases.
 */
export function podRowConditions(pod: Pod): readonly TableRowCondition[] {
  switch (pod.status?.phase) {
    case 'Succeeded':
      return [
        {
          type: 'Completed',
          status: 'True',
          reason: 'Succeeded',
          message: 'The pod has completed successfully.',
        },
      ];
    case 'Failed':
      return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    default:
      return [];
  }
}
