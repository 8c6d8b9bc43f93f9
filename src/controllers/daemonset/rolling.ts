/**
 * RollingUpdate for DaemonSets, as upstream's update.go rollingUpdate and util's
 * UnavailableCount / SurgeCount: maxUnavailable and maxSurge are scaled against the number of
 * nodes that should run the pod (percentages rounded up). Without surge, old pods are deleted
 * while the unavailable count stays within maxUnavailable (the manage loop then creates their
 * replacements); with surge, new pods are created next to available old ones, up to maxSurge at a
 * time, and each old pod goes once its node's new pod is available.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { scaledValue } from '../deployment/intstr.js';
import { isPodAvailable } from '../util/pods.js';
import { isPodUpdated, nodeShouldRunDaemonPod } from './daemon-pods.js';

const rollingUpdateOf = (ds: DaemonSet) =>
  (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate'
    ? ds.spec?.updateStrategy?.rollingUpdate
    : undefined;

/** util.UnavailableCount. */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  const v = rollingUpdateOf(ds)?.maxUnavailable;
  return v === undefined ? 0 : scaledValue(v, numberToSchedule, true);
}

/** util.SurgeCount; `surgeCount(ds, 1) > 0` is util.AllowsSurge. */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  const v = rollingUpdateOf(ds)?.maxSurge;
  return v === undefined ? 0 : scaledValue(v, numberToSchedule, true);
}

/** findUpdatedPodsOnNode: at most one new and one old live pod, else not ok (manage cleans up). */
function updatedPodsOnNode<P extends Pod>(
  ds: DaemonSet,
  pods: readonly P[],
  hash: string,
): { newPod?: P; oldPod?: P; ok: boolean } {
  let newPod: P | undefined;
  let oldPod: P | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, ds)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

export interface RollingPlan<P extends Pod> {
  podsToDelete: P[];
  nodesToCreate: string[];
}

/** rollingUpdate's decision for one sync, given the pods by node (as getNodesToDaemonPods). */
export function planRollingUpdate<P extends Pod>(
  ds: DaemonSet,
  nodes: readonly Node[],
  byNode: ReadonlyMap<string, P[]>,
  hash: string,
  now: Date,
): RollingPlan<P> {
  // updatedDesiredNodeCounts: every node that should run counts, with or without pods.
  const perNode = new Map(byNode);
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!perNode.has(node.metadata?.name ?? '')) perNode.set(node.metadata?.name ?? '', []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, now);

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowed: P[] = [];
    const candidates: P[] = [];
    for (const pods of perNode.values()) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(ds, pods, hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod!)) allowed.push(oldPod!);
      else if (numUnavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidates.length);
    return { podsToDelete: [...allowed, ...candidates.slice(0, remaining)], nodesToCreate: [] };
  }

  const toDelete: P[] = [];
  const shouldNotRun: P[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  const nodeByName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
  for (const [nodeName, pods] of perNode) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    const node = nodeByName.get(nodeName);
    const shouldRun = !!node && nodeShouldRunDaemonPod(node, ds).shouldRun;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun) toDelete.push(oldPod);
        else allowedNodes.push(nodeName);
      } else if (!shouldRun) shouldNotRun.push(oldPod);
      else if (numSurge < maxSurge) candidateNodes.push(nodeName);
    } else if (!available(newPod)) numSurge++;
    else toDelete.push(oldPod);
  }
  // Pods on nodes that should no longer run them go only while enough others are available.
  const deletable = Math.min(Math.max(numAvailable - desired, 0), shouldNotRun.length);
  toDelete.push(...shouldNotRun.slice(0, deletable).filter((p) => !p.metadata?.deletionTimestamp));
  const remainingSurge = Math.min(Math.max(maxSurge - numSurge, 0), candidateNodes.length);
  return {
    podsToDelete: toDelete,
    nodesToCreate: [...allowedNodes, ...candidateNodes.slice(0, remainingSurge)],
  };
}
