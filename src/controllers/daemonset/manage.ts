/**
 * The DaemonSet controller's pure decisions, as upstream's daemon_controller.go (manage,
 * podsShouldBeOnNode, getNodesToDaemonPods, getUnscheduledPodsWithoutNode): which nodes need a
 * daemon pod and which pods must go. Failed pods are reported in `failed` so the controller can
 * apply its per-node backoff and emit FailedDaemonPod before deleting them.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { CONTROLLER_REVISION_HASH_LABEL, nodeShouldRunDaemonPod, targetNodeName } from './daemon-pods.js';
import { surgeCount } from './rolling.js';

/** getNodesToDaemonPods: the DaemonSet's pods by target node (terminal pods being deleted left out). */
export function podsByNode<P extends Pod>(pods: readonly P[]): Map<string, P[]> {
  const out = new Map<string, P[]>();
  for (const pod of pods) {
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (terminal && pod.metadata?.deletionTimestamp) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    out.set(node, [...(out.get(node) ?? []), pod]);
  }
  return out;
}

const ts = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;

/** podByCreationTimestampAndPhase: oldest first; at equal times, scheduled pods before unscheduled. */
export function byCreationAndPhase(a: Pod, b: Pod): number {
  if (ts(a) !== ts(b)) return ts(a) - ts(b);
  const sa = a.spec?.nodeName ? 0 : 1;
  const sb = b.spec?.nodeName ? 0 : 1;
  if (sa !== sb) return sa - sb;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
}

export interface ManagePlan<P extends Pod> {
  nodesNeedingPods: string[];
  podsToDelete: P[];
  /** Failed pods on nodes where the daemon should keep running: deleted after backoff. */
  failed: { pod: P; node: string }[];
}

/** podsShouldBeOnNode for every node, then the unscheduled pods of nodes that are gone. */
export function planManage<P extends Pod>(
  ds: DaemonSet,
  nodes: readonly Node[],
  byNode: ReadonlyMap<string, P[]>,
  hash: string,
  now: Date,
): ManagePlan<P> {
  const plan: ManagePlan<P> = { nodesNeedingPods: [], podsToDelete: [], failed: [] };
  const surge = surgeCount(ds, 1) > 0;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = byNode.get(name);
    if (shouldRun && !pods) {
      plan.nodesNeedingPods.push(name);
    } else if (shouldContinueRunning && pods) {
      const running: P[] = [];
      for (const pod of pods) {
        if (pod.metadata?.deletionTimestamp) continue;
        if (pod.status?.phase === 'Failed') plan.failed.push({ pod, node: name });
        else if (pod.status?.phase === 'Succeeded') plan.podsToDelete.push(pod);
        else running.push(pod);
      }
      if (running.length <= 1) continue;
      running.sort(byCreationAndPhase);
      if (!surge) {
        // Without surge, more than one pod on a node: keep the oldest.
        plan.podsToDelete.push(...running.slice(1));
        continue;
      }
      // With surge, keep the oldest new pod and the oldest old one; the old one goes once the new
      // one is available, or at once if it is not ready itself.
      let oldestNew: P | undefined;
      let oldestOld: P | undefined;
      for (const pod of running) {
        const isNew = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
        if (isNew && !oldestNew) oldestNew = pod;
        else if (!isNew && !oldestOld) oldestOld = pod;
        else plan.podsToDelete.push(pod);
      }
      if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, now)))
        plan.podsToDelete.push(oldestOld);
    } else if (!shouldContinueRunning && pods) {
      plan.podsToDelete.push(...pods.filter((p) => !p.metadata?.deletionTimestamp));
    }
  }
  const known = new Set(nodes.map((n) => n.metadata?.name ?? ''));
  for (const [node, pods] of byNode) {
    if (known.has(node)) continue;
    plan.podsToDelete.push(...pods.filter((p) => !p.spec?.nodeName));
  }
  return plan;
}
