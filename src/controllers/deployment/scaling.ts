/**
 * Scaling ReplicaSets for a deployment, as upstream's sync.go:
 *  - scaleReplicaSet writes the new size with the desired/max replicas annotations and records
 *    `Scaled up|down replica set X to N from M`;
 *  - scale() handles a change of deployment size outside a rollout: one active RS takes the
 *    whole size; during a rollout the extra (or missing) replicas are spread over the active
 *    RSs in proportion to their share of the old size (from the max-replicas annotation),
 *    larger first, leftovers to the largest.
 */
import { COMPONENT, type SyncContext } from './context.js';
import { desiredReplicas, isRollingUpdate, maxSurge } from './intstr.js';
import {
  byCreation,
  desiredAnnotation,
  filterActive,
  maxReplicasAnnotation,
  type RS,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  setReplicasAnnotations,
  sumSpecReplicas,
} from './replica-sets.js';

/** Returns [scaled, the RS as stored]. Annotation-only changes are written but are not "scaled". */
export function scaleReplicaSet(
  ctx: SyncContext,
  rs: RS,
  newScale: number,
  operation?: 'up' | 'down',
): [boolean, RS] {
  const d = ctx.d;
  const desired = desiredReplicas(d);
  const max = desired + maxSurge(d);
  const oldScale = replicasOf(rs);
  const sizeChange = oldScale !== newScale;
  if (!sizeChange && !replicasAnnotationsNeedUpdate(rs, desired, max)) return [false, rs];
  const copy = structuredClone(rs);
  copy.spec = { ...copy.spec!, replicas: newScale };
  setReplicasAnnotations(copy, desired, max);
  const updated = ctx.client.update<RS>('replicasets', copy);
  if (sizeChange) {
    const op = operation ?? (oldScale < newScale ? 'up' : 'down');
    ctx.events.event(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${op} replica set ${updated.metadata.name} to ${newScale} from ${oldScale}`,
      COMPONENT,
    );
  }
  return [sizeChange, updated];
}

/** scaleReplicaSetAndRecordEvent: no write at all when the size is already right. */
export function scaleAndRecord(ctx: SyncContext, rs: RS, newScale: number): [boolean, RS] {
  if (replicasOf(rs) === newScale) return [false, rs];
  return scaleReplicaSet(ctx, rs, newScale);
}

/** FindActiveOrLatest: the only active RS, or the newest if none is active, or undefined. */
function activeOrLatest(newRS: RS | undefined, oldRSs: readonly RS[]): RS | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sortedOld = [...oldRSs].sort(byCreation).reverse();
  const active = filterActive([...sortedOld, newRS]);
  if (active.length === 0) return newRS ?? sortedOld[0];
  if (active.length === 1) return active[0];
  return undefined;
}

function isSaturated(ctx: SyncContext, rs: RS | undefined): boolean {
  if (!rs) return false;
  const want = desiredReplicas(ctx.d);
  return (
    desiredAnnotation(rs) === want && replicasOf(rs) === want && (rs.status?.availableReplicas ?? 0) === want
  );
}

/** getReplicaSetFraction: how many replicas this RS gains or loses for the new size. */
function fraction(ctx: SyncContext, rs: RS): number {
  const d = ctx.d;
  const want = desiredReplicas(d);
  if (want === 0) return -replicasOf(rs);
  const newMax = want + maxSurge(d);
  let before = maxReplicasAnnotation(rs);
  if (before === undefined || before === 0) {
    before = d.status?.replicas ?? 0;
    if (before === 0) return 0;
  }
  // Go's math.Round rounds half away from zero; Math.round rounds half up.
  const exact = (replicasOf(rs) * newMax) / before;
  return Math.sign(exact) * Math.round(Math.abs(exact)) - replicasOf(rs);
}

function proportion(ctx: SyncContext, rs: RS, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(ctx, rs);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

/** upstream's scale(): see the file comment. */
export function scale(ctx: SyncContext, newRS: RS | undefined, oldRSs: readonly RS[]): void {
  const d = ctx.d;
  const want = desiredReplicas(d);
  const single = activeOrLatest(newRS, oldRSs);
  if (single) {
    if (replicasOf(single) !== want) scaleAndRecord(ctx, single, want);
    return;
  }
  if (isSaturated(ctx, newRS)) {
    for (const old of filterActive(oldRSs)) scaleAndRecord(ctx, old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = filterActive([...oldRSs, newRS]);
  const allowedSize = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowedSize - sumSpecReplicas(all);
  let operation: 'up' | 'down' | undefined;
  if (toAdd > 0) {
    // ReplicaSetsBySizeNewer: larger first, newer first among equals.
    all.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(b, a));
    operation = 'up';
  } else if (toAdd < 0) {
    // ReplicaSetsBySizeOlder: larger first, older first among equals.
    all.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(a, b));
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = proportion(ctx, rs, toAdd, added);
      sizes.set(rs.metadata.name!, replicasOf(rs) + p);
      added += p;
    } else sizes.set(rs.metadata.name!, replicasOf(rs));
  }
  all.forEach((rs, i) => {
    let size = sizes.get(rs.metadata.name!)!;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    scaleReplicaSet(ctx, rs, size, operation);
  });
}
