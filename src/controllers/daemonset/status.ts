/**
 * DaemonSet status, as upstream's updateDaemonSetStatus / storeDaemonSetStatus: per node that
 * should run the pod, its oldest pod decides ready, available and updated; pods on nodes that
 * should not run them are misscheduled. observedGeneration moves only when the sync acted on the
 * spec (expectations satisfied). `writeDaemonSetStatus` skips the write when nothing changed.
 */
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { ObjectClient } from '../client.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { isPodUpdated, nodeShouldRunDaemonPod } from './daemon-pods.js';
import type { DS } from './history.js';
import { byCreationAndPhase } from './manage.js';

type Counts = Required<
  Pick<
    DaemonSetStatus,
    | 'desiredNumberScheduled'
    | 'currentNumberScheduled'
    | 'numberMisscheduled'
    | 'numberReady'
    | 'updatedNumberScheduled'
    | 'numberAvailable'
    | 'numberUnavailable'
  >
>;

export function computeStatus(
  ds: DS,
  nodes: readonly Node[],
  byNode: ReadonlyMap<string, Pod[]>,
  hash: string,
  now: Date,
): Counts {
  const c: Counts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  for (const node of nodes) {
    const pods = byNode.get(node.metadata?.name ?? '') ?? [];
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (pods.length > 0) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (pods.length === 0) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(byCreationAndPhase)[0]!;
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, ds)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

/** storeDaemonSetStatus: writes unless the counts match and observedGeneration is current. */
/**
 * `ds` is the latest stored object (the sync may have bumped collisionCount); `generation` is the
 * one the sync worked from, the only one it may report as observed.
 */
export function writeDaemonSetStatus(
  client: ObjectClient,
  ds: DS,
  counts: Counts,
  observeGeneration: boolean,
  generation: number,
): void {
  const cur: DaemonSetStatus = ds.status ?? {
    currentNumberScheduled: 0,
    desiredNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
  };
  const same = (Object.keys(counts) as (keyof Counts)[]).every((k) => (cur[k] ?? 0) === counts[k]);
  if (same && (cur.observedGeneration ?? 0) >= generation) return;
  const status: DaemonSetStatus = { ...cur, ...counts };
  if (observeGeneration) status.observedGeneration = generation;
  client.updateStatus('daemonsets', { ...ds, status });
}
