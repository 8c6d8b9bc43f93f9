/**
 * StatefulSet status, as upstream's computeReplicaStatus / completeRollingUpdate and
 * updateStatefulSetStatus: counts over the set's pods, the current and update revisions, and once
 * every pod runs the update revision and is ready, the update revision becomes the current one.
 */
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { ObjectClient } from '../client.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { type PodObj, podRevision, type STS } from './identity.js';

export const isRunningAndReady = (p: PodObj): boolean => p.status?.phase === 'Running' && isPodReady(p);
export const isTerminating = (p: PodObj): boolean => !!p.metadata.deletionTimestamp;

export function computeStatus(
  sts: STS,
  pods: readonly PodObj[],
  currentRevision: string,
  updateRevision: string,
  now: Date,
): StatefulSetStatus {
  const status: StatefulSetStatus = {
    observedGeneration: sts.metadata.generation ?? 0,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision,
    updateRevision,
  };
  if (sts.status?.collisionCount !== undefined) status.collisionCount = sts.status.collisionCount;
  const minReady = sts.spec?.minReadySeconds ?? 0;
  const s = status as Required<StatefulSetStatus>;
  for (const pod of pods) {
    s.replicas++;
    if (isRunningAndReady(pod)) {
      s.readyReplicas++;
      if (isPodAvailable(pod, minReady, now)) s.availableReplicas++;
    }
    if (isTerminating(pod)) continue;
    if (podRevision(pod) === currentRevision) s.currentReplicas++;
    if (podRevision(pod) === updateRevision) s.updatedReplicas++;
  }
  return status;
}

/** completeRollingUpdate. */
export function completeRollingUpdate(sts: STS, status: StatefulSetStatus): void {
  const replicas = sts.spec?.replicas ?? 1;
  if (
    (sts.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' &&
    status.updatedReplicas === replicas &&
    status.readyReplicas === replicas &&
    status.replicas === replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** Writes the status unless it is unchanged. */
export function writeStatus(client: ObjectClient, sts: STS, status: StatefulSetStatus): void {
  const latest = client.get<STS>('statefulsets', sts.metadata.namespace!, sts.metadata.name!);
  if (!latest) return;
  const next = { ...latest.status, ...status, collisionCount: latest.status?.collisionCount };
  if (next.collisionCount === undefined) delete next.collisionCount;
  if (semanticEqual(latest.status, next)) return;
  client.updateStatus('statefulsets', { ...latest, status: next });
}
