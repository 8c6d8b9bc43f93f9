/**
 * Deployment status, as upstream's calculateStatus and syncRolloutStatus (sync.go,
 * progress.go): replica counts summed over the ReplicaSets, the Available condition from
 * maxUnavailable, and the Progressing condition that `kubectl rollout status` watches:
 *   NewReplicaSetAvailable once complete; ReplicaSetUpdated while progress is seen;
 *   ProgressDeadlineExceeded when no progress was seen for progressDeadlineSeconds.
 */
import type { DeploymentStatus } from 'kubernetes-types/apps/v1';
import { getCondition, newCondition, REASON, removeCondition, setCondition } from './conditions.js';
import { desiredReplicas, maxUnavailable } from './intstr.js';
import { type Dep, type RS, sumSpecReplicas, sumStatus } from './replica-sets.js';

const MAX_INT32 = 2147483647;

export const hasProgressDeadline = (d: Dep): boolean =>
  d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== MAX_INT32;

export function calculateStatus(
  allRSs: readonly (RS | undefined)[],
  newRS: RS | undefined,
  d: Dep,
  now: Date,
): DeploymentStatus {
  const available = sumStatus(allRSs, 'availableReplicas');
  const total = sumSpecReplicas(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: sumStatus([newRS], 'replicas'),
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions);
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition('Available', 'True', REASON.minAvailable, 'Deployment has minimum availability.', now),
    );
  } else {
    setCondition(
      status,
      newCondition(
        'Available',
        'False',
        REASON.minUnavailable,
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  }
  return status;
}

/** DeploymentComplete: every desired replica is updated and available, and none else exist. */
export function deploymentComplete(d: Dep, s: DeploymentStatus | undefined): boolean {
  const want = desiredReplicas(d);
  return (
    (s?.updatedReplicas ?? 0) === want &&
    (s?.replicas ?? 0) === want &&
    (s?.availableReplicas ?? 0) === want &&
    (s?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

function deploymentProgressing(d: Dep, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

function deploymentTimedOut(d: Dep, s: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === REASON.newRSAvailable) return false;
  if (c.reason === REASON.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return from + d.spec!.progressDeadlineSeconds! * 1000 < now.getTime();
}

/** The status syncRolloutStatus would write, with the Progressing condition estimated. */
export function rolloutStatus(
  allRSs: readonly (RS | undefined)[],
  newRS: RS | undefined,
  d: Dep,
  now: Date,
): DeploymentStatus {
  const s = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && current?.reason === REASON.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`
        : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(s, newCondition('Progressing', 'True', REASON.newRSAvailable, msg, now));
    } else if (deploymentProgressing(d, s)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" is progressing.`
        : `Deployment "${d.metadata.name}" is progressing.`;
      const cond = newCondition('Progressing', 'True', REASON.rsUpdated, msg, now);
      // Progress refreshes lastUpdateTime even with an unchanged reason (upstream's special case).
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(s, 'Progressing');
      }
      setCondition(s, cond);
    } else if (deploymentTimedOut(d, s, now)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`
        : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(s, newCondition('Progressing', 'False', REASON.timedOut, msg, now));
    }
  }
  const failure = [newRS, ...allRSs]
    .flatMap((rs) => rs?.status?.conditions ?? [])
    .find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (failure) {
    setCondition(s, {
      ...newCondition('ReplicaFailure', 'True', failure.reason ?? '', failure.message ?? '', now),
      lastTransitionTime: failure.lastTransitionTime,
    });
  } else removeCondition(s, 'ReplicaFailure');
  if (s.conditions?.length === 0) delete s.conditions;
  return s;
}

/**
 * requeueStuckDeployment: how long until the deadline passes for a deployment still
 * progressing (undefined when no requeue is needed).
 */
export function msUntilDeadline(d: Dep, s: DeploymentStatus, now: Date): number | undefined {
  const c = getCondition(s, 'Progressing');
  if (!hasProgressDeadline(d) || !c || c.reason === REASON.newRSAvailable || c.reason === REASON.timedOut)
    return undefined;
  if (deploymentComplete(d, s)) return undefined;
  const after = Date.parse(c.lastUpdateTime ?? '') + d.spec!.progressDeadlineSeconds! * 1000 - now.getTime();
  return Math.max(after, 0) + 1000;
}
