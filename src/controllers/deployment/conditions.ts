/**
 * Deployment conditions, as upstream's deployment/util: the reasons and messages kubectl shows
 * (`describe`, `rollout status`), and SetDeploymentCondition's rule that re-setting a
 * condition with the same status and reason changes nothing, while a new reason with the same
 * status keeps lastTransitionTime.
 */
import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1';

export const REASON = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  failedRSCreate: 'ReplicaSetCreateError',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
} as const;

export type ConditionType = 'Available' | 'Progressing' | 'ReplicaFailure';

const iso = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

export function newCondition(
  type: ConditionType,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  now: Date,
): DeploymentCondition {
  return { type, status, lastUpdateTime: iso(now), lastTransitionTime: iso(now), reason, message };
}

export const getCondition = (
  s: DeploymentStatus | undefined,
  type: ConditionType,
): DeploymentCondition | undefined => s?.conditions?.find((c) => c.type === type);

export function setCondition(s: DeploymentStatus, cond: DeploymentCondition): void {
  const current = getCondition(s, cond.type as ConditionType);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  const next = { ...cond };
  if (current && current.status === cond.status) next.lastTransitionTime = current.lastTransitionTime;
  s.conditions = [...(s.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export function removeCondition(s: DeploymentStatus, type: ConditionType): void {
  if (!s.conditions) return;
  s.conditions = s.conditions.filter((c) => c.type !== type);
}
