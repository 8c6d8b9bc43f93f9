/**
 * ReplicaSet status, as upstream's replica_set_utils.go: counts over the active pods the
 * ReplicaSet owns, a ReplicaFailure condition while creating or deleting fails, and
 * observedGeneration. `writeStatus` skips the write when nothing changed.
 */

import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { selectorFromSet } from '../../api/selectors/label-selector.js';
import type { KubeObject } from '../../api/types.js';
import type { ObjectClient } from '../client.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { semanticEqual } from '../util/semantic-equal.js';

export type RS = ReplicaSet & KubeObject;

export function calculateStatus(
  rs: RS,
  pods: readonly Pod[],
  manageError: unknown,
  now: Date,
): ReplicaSetStatus {
  const status: ReplicaSetStatus = structuredClone(rs.status ?? { replicas: 0 });
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    if (templateLabels.matches(p.metadata?.labels)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const failure = status.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const cond: ReplicaSetCondition = {
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      reason,
      message: manageError instanceof Error ? manageError.message : String(manageError),
    };
    status.conditions = [...(status.conditions ?? []), cond];
  } else if (!manageError && failure) {
    status.conditions = status.conditions!.filter((c) => c.type !== 'ReplicaFailure');
    if (status.conditions.length === 0) delete status.conditions;
  }
  status.replicas = pods.length;
  status.fullyLabeledReplicas = fully;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

/** Writes the status unless it and observedGeneration are unchanged; returns the current RS. */
export function writeStatus(client: ObjectClient, rs: RS, status: ReplicaSetStatus): RS {
  const cur = rs.status ?? { replicas: 0 };
  const generation = rs.metadata.generation ?? 0;
  if (
    (cur.replicas ?? 0) === status.replicas &&
    (cur.fullyLabeledReplicas ?? 0) === (status.fullyLabeledReplicas ?? 0) &&
    (cur.readyReplicas ?? 0) === (status.readyReplicas ?? 0) &&
    (cur.availableReplicas ?? 0) === (status.availableReplicas ?? 0) &&
    (cur.observedGeneration ?? 0) === generation &&
    semanticEqual(cur.conditions, status.conditions)
  ) {
    return rs;
  }
  return client.updateStatus<RS>('replicasets', {
    ...rs,
    status: { ...status, observedGeneration: generation },
  });
}
