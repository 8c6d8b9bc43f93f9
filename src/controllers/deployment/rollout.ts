/**
 * The two rollout strategies, as upstream's rolling.go and recreate.go.
 * RollingUpdate, each sync: scale the new RS up within maxSurge; else scale old RSs down
 * within maxUnavailable (unhealthy old replicas first); when complete, clean up history.
 * Recreate: scale every old RS to 0, wait until no old pod runs, then create/scale the new RS.
 * Both end by writing status with the Progressing estimate.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { cleanupDeployment } from './cleanup.js';
import type { SyncContext } from './context.js';
import { desiredReplicas, maxUnavailable } from './intstr.js';
import { getAllReplicaSetsAndSyncRevision, newRSNewReplicas } from './new-replica-set.js';
import { byCreation, filterActive, type RS, replicasOf, sumSpecReplicas, sumStatus } from './replica-sets.js';
import { scaleAndRecord } from './scaling.js';
import { deploymentComplete } from './status.js';
import { syncRolloutStatus } from './sync-status.js';

export function rolloutRolling(ctx: SyncContext, rsList: RS[]): void {
  const [newRS, oldRSs] = getAllReplicaSetsAndSyncRevision(ctx, rsList, true);
  const all = [...oldRSs, newRS];
  // Scale up if we can, else scale down if we can; only when neither moves, clean up history.
  const moved =
    !!newRS &&
    (reconcileNewReplicaSet(ctx, all, newRS) ||
      reconcileOldReplicaSets(ctx, all, filterActive(oldRSs), newRS));
  if (!moved && deploymentComplete(ctx.d, ctx.d.status)) cleanupDeployment(ctx, oldRSs);
  syncRolloutStatus(ctx, all, newRS);
}

function reconcileNewReplicaSet(ctx: SyncContext, all: readonly (RS | undefined)[], newRS: RS): boolean {
  const want = desiredReplicas(ctx.d);
  if (replicasOf(newRS) === want) return false;
  if (replicasOf(newRS) > want) return scaleAndRecord(ctx, newRS, want)[0];
  return scaleAndRecord(ctx, newRS, newRSNewReplicas(ctx.d, all, newRS))[0];
}

function reconcileOldReplicaSets(
  ctx: SyncContext,
  all: readonly (RS | undefined)[],
  oldRSs: RS[],
  newRS: RS,
): boolean {
  if (sumSpecReplicas(oldRSs) === 0) return false;
  const minAvailable = desiredReplicas(ctx.d) - maxUnavailable(ctx.d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpecReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const [cleaned, cleanupCount] = cleanupUnhealthyReplicas(ctx, oldRSs, maxScaledDown);
  const scaledDown = scaleDownOldForRollingUpdate(ctx, [...cleaned, newRS], cleaned);
  return cleanupCount + scaledDown > 0;
}

/** Old replicas that are not available go first: they would otherwise block the rollout. */
function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: RS[], maxCleanup: number): [RS[], number] {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < sorted.length && total < maxCleanup; i++) {
    const rs = sorted[i]!;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const n = Math.min(maxCleanup - total, unhealthy);
    sorted[i] = scaleAndRecord(ctx, rs, replicasOf(rs) - n)[1];
    total += n;
  }
  return [sorted, total];
}

function scaleDownOldForRollingUpdate(ctx: SyncContext, all: readonly RS[], oldRSs: RS[]): number {
  const minAvailable = desiredReplicas(ctx.d) - maxUnavailable(ctx.d);
  const available = sumStatus(all, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (replicasOf(rs) === 0) continue;
    const n = Math.min(replicasOf(rs), target - total);
    scaleAndRecord(ctx, rs, replicasOf(rs) - n);
    total += n;
  }
  return total;
}

export function rolloutRecreate(ctx: SyncContext, rsList: RS[], podsByRS: ReadonlyMap<string, Pod[]>): void {
  let [newRS, oldRSs] = getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
  let all: (RS | undefined)[] = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) if (scaleAndRecord(ctx, rs, 0)[0]) scaledDown = true;
  if (scaledDown || oldPodsRunning(newRS, oldRSs, podsByRS)) {
    syncRolloutStatus(ctx, all, newRS);
    return;
  }
  if (!newRS) {
    [newRS, oldRSs] = getAllReplicaSetsAndSyncRevision(ctx, rsList, true);
    all = [...oldRSs, newRS];
  }
  if (newRS) scaleAndRecord(ctx, newRS, desiredReplicas(ctx.d));
  if (deploymentComplete(ctx.d, ctx.d.status)) cleanupDeployment(ctx, oldRSs);
  syncRolloutStatus(ctx, all, newRS);
}

/** Old pods still exist (by RS status) or any pod of another RS is not finished. */
function oldPodsRunning(
  newRS: RS | undefined,
  oldRSs: readonly RS[],
  podsByRS: ReadonlyMap<string, Pod[]>,
): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
