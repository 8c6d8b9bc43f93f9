/**
 * How the Job controller sees its pods, as upstream's pkg/controller/job helpers: the pod it
 * creates from the template (with the tracking finalizer and a controller reference), and the
 * predicates that classify pods as active, terminating, succeeded or failed.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { JOB_TRACKING_FINALIZER } from '../../api/registry/jobs/labels.js';
import type { KubeObject } from '../../api/types.js';
import { newControllerRef } from '../util/owners.js';

export type JobObj = Job & KubeObject;
export type PodObj = Pod & KubeObject;

/** The pod a Job creates, as GetPodFromTemplate plus the job-tracking finalizer. */
export function podFromJobTemplate(job: JobObj): PodObj {
  const tpl = job.spec?.template ?? {};
  const meta = tpl.metadata ?? {};
  const pod: PodObj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${job.metadata.name}-`,
      namespace: job.metadata.namespace,
      ownerReferences: [newControllerRef(job)],
      finalizers: [...(meta.finalizers ?? []), JOB_TRACKING_FINALIZER],
    },
    spec: structuredClone(tpl.spec ?? { containers: [] }),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  return pod;
}

export const hasTrackingFinalizer = (pod: Pod): boolean =>
  (pod.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** Only `Failed` pods are replaced (podReplacementPolicy Failed, or a podFailurePolicy). */
const onlyReplaceFailedPods = (job: Job): boolean =>
  job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;

/**
 * isPodFailed: phase Failed; or, unless only Failed pods count, a pod being deleted that did
 * not succeed (an orphan may never reach Failed, so deletion is its failure).
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

export const isPodSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';

export const isPodFinished = (pod: Pod, job: Job): boolean => isPodSucceeded(pod) || isPodFailed(pod, job);

/** Being deleted but not yet in a terminal phase (the `terminating` status count). */
export const isPodTerminating = (pod: Pod): boolean =>
  !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

export const isPodReadyNow = (pod: Pod): boolean =>
  (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * The order in which active pods are deleted (a simplification of upstream's
 * controller.ActivePods): not ready before ready, then newest first.
 */
export function rankForDeletion<P extends Pod>(pods: readonly P[]): P[] {
  return [...pods].sort((a, b) => {
    const ra = isPodReadyNow(a) ? 1 : 0;
    const rb = isPodReadyNow(b) ? 1 : 0;
    if (ra !== rb) return ra - rb;
    return (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '');
  });
}

/**
 * pastBackoffLimitOnFailure: with restartPolicy OnFailure a failing container restarts in
 * place, so its restarts count against backoffLimit (any restart when the limit is 0).
 */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])])
      restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** When a finished pod finished: the latest container finishedAt, else undefined. */
export function podFinishedAt(pod: Pod): number | undefined {
  let latest: number | undefined;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const t = s.state?.terminated?.finishedAt;
    if (t) latest = Math.max(latest ?? 0, Date.parse(t));
  }
  return latest;
}
