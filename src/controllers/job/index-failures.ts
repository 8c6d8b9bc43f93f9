/**
 * backoffLimitPerIndex for Indexed Jobs, as upstream's indexed_job_utils.go and
 * backoff_utils.go (1.32, JobBackoffLimitPerIndex beta, on): each index has its own failure
 * budget. Every pod of the index carries the failures before it in the
 * batch.kubernetes.io/job-index-failure-count annotation (and those the podFailurePolicy
 * ignored in job-index-ignored-failure-count). A failed pod whose count reached the limit, or
 * that matched a FailIndex rule, fails its index for good: the index goes into
 * status.failedIndexes and is never retried. Otherwise the failed pod keeps its tracking
 * finalizer until its replacement exists ("delayed deletion"), so the replacement can read
 * the count from it; the replacement waits the per-index backoff (10 s doubled per failure).
 */

import type { JobStatus } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import {
  JOB_INDEX_FAILURE_COUNT_ANNOTATION,
  JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
} from '../../api/registry/jobs/labels.js';
import { DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS } from './backoff.js';
import { FAILED_INDEXES, hasCondition, MAX_FAILED_INDEXES_EXCEEDED } from './conditions.js';
import {
  completionIndexOf,
  hasIndex,
  type Interval,
  isIndexedJob,
  type OrderedIntervals,
  parseIndexes,
  totalIndexes,
  validIndexOf,
  withIndexes,
} from './indexed.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { hasTrackingFinalizer, isPodFailed, type JobObj, type PodObj, podFinishedAt } from './pods.js';

/** hasBackoffLimitPerIndex: the feature is on by default in 1.32. */
export const hasBackoffLimitPerIndex = (job: JobObj): boolean =>
  job.spec?.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;

/** parseInt32: a count annotation as a non-negative int32, else 0 (a user may have written it). */
function parseCount(v: string | undefined): number {
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n < 0 || n > 2_147_483_647 ? 0 : n;
}

/** getIndexFailureCount: the failures of the pod's index before this pod. */
export const indexFailureCount = (pod: Pod): number =>
  parseCount(pod.metadata?.annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION]);

const ignoredFailureCount = (pod: Pod): number =>
  parseCount(pod.metadata?.annotations?.[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]);

/** getIndexAbsoluteFailureCount: counted plus ignored failures. */
const absoluteFailureCount = (pod: Pod): number => indexFailureCount(pod) + ignoredFailureCount(pod);

/** isIndexFailed: `pod` failed and takes its index down (FailIndex, or its budget is spent). */
export function isIndexFailed(job: JobObj, pod: PodObj): boolean {
  if (!isPodFailed(pod, job)) return false;
  const m = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
  if (m.action === 'FailIndex') return true;
  return m.countFailed && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: status.failedIndexes plus the indexes of newly failed, tracked pods. */
export function calculateFailedIndexes(job: JobObj, pods: readonly PodObj[]): Interval[] {
  const completions = job.spec?.completions ?? 0;
  const prev = parseIndexes(job.status?.failedIndexes ?? undefined, completions);
  const fresh: number[] = [];
  for (const p of pods) {
    const ix = validIndexOf(p, completions);
    if (ix !== undefined && hasTrackingFinalizer(p) && isIndexFailed(job, p)) fresh.push(ix);
  }
  return withIndexes(prev, fresh);
}

/** When a pod finished (getFinishedTime, simplified): its containers, else its creation. */
function finishedAtMs(pod: Pod): number {
  const created = Date.parse(pod.metadata?.creationTimestamp ?? '');
  return podFinishedAt(pod) ?? (Number.isNaN(created) ? 0 : created);
}

/**
 * getPodsWithDelayedDeletionPerIndex: for each index that is neither succeeded, failed nor
 * active, the latest failed, still tracked pod; its finalizer stays until a replacement exists.
 */
export function podsWithDelayedDeletion(
  job: JobObj,
  pods: readonly PodObj[],
  active: readonly PodObj[],
  succeeded: OrderedIntervals,
  failed: OrderedIntervals,
): Map<number, PodObj> {
  const completions = job.spec?.completions ?? 0;
  const activeIndexes = new Set(active.map(completionIndexOf).filter((ix) => ix !== undefined));
  const out = new Map<number, PodObj>();
  for (const p of pods) {
    if (!hasTrackingFinalizer(p) || !isPodFailed(p, job)) continue;
    const ix = validIndexOf(p, completions);
    if (ix === undefined || hasIndex(succeeded, ix) || hasIndex(failed, ix) || activeIndexes.has(ix))
      continue;
    const last = out.get(ix);
    if (
      !last ||
      (absoluteFailureCount(last) <= absoluteFailureCount(p) && finishedAtMs(p) >= finishedAtMs(last))
    )
      out.set(ix, p);
  }
  return out;
}

/**
 * addIndexFailureCountAnnotation / getNewIndexFailureCounts: the annotations of the pod that
 * replaces `replaced` (none: a first pod, count 0): its counts plus its own failure.
 */
export function indexFailureAnnotations(job: JobObj, replaced: PodObj | undefined): Record<string, string> {
  let counted = 0;
  let ignored = 0;
  if (replaced) {
    counted = indexFailureCount(replaced);
    ignored = ignoredFailureCount(replaced);
    if (matchPodFailurePolicy(job.spec?.podFailurePolicy, replaced).countFailed) counted++;
    else ignored++;
  }
  const out: Record<string, string> = { [JOB_INDEX_FAILURE_COUNT_ANNOTATION]: String(counted) };
  if (ignored > 0) out[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(ignored);
  return out;
}

/**
 * getRemainingTimePerIndex: how long the replacement of `lastFailed` still waits, 10 s doubled
 * for each earlier failure of the index, capped at 10 minutes, from its finish time.
 */
export function remainingMsPerIndex(lastFailed: PodObj | undefined, nowMs: number): number {
  if (!lastFailed) return 0;
  const failures = absoluteFailureCount(lastFailed) + 1;
  const delay = Math.min(DEFAULT_POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, finishedAtMs(lastFailed) + delay - nowMs);
}

/**
 * getPodCreationInfoForIndependentIndexes: the pending indexes whose backoff is over, or, when
 * none is, the shortest wait among them.
 */
export function indexesReadyToCreate(
  pending: readonly number[],
  delayed: ReadonlyMap<number, PodObj>,
  nowMs: number,
): { ready: number[]; waitMs: number } {
  const ready: number[] = [];
  let minWait: number | undefined;
  for (const ix of pending) {
    const wait = remainingMsPerIndex(delayed.get(ix), nowMs);
    if (wait === 0) ready.push(ix);
    else if (minWait === undefined || wait < minWait) minWait = wait;
  }
  return { ready, waitMs: ready.length > 0 ? 0 : (minWait ?? 0) };
}

/** backoffLimitPerIndex's view of one sync: the failed indexes and the delayed failed pods. */
export interface PerIndexState {
  failed: Interval[];
  delayed: Map<number, PodObj>;
}

/**
 * backoffLimitPerIndex's state for this sync, or undefined without it: the failed indexes
 * (calculateFailedIndexes) and, while the Job is not finishing, the failed pods whose finalizer
 * waits for their replacement (getPodsWithDelayedDeletionPerIndex), by index.
 */
export function perIndexState(job: JobObj, pods: PodObj[], active: PodObj[]): PerIndexState | undefined {
  if (!isIndexedJob(job) || !hasBackoffLimitPerIndex(job)) return undefined;
  const failed = calculateFailedIndexes(job, pods);
  const finishing =
    !!job.metadata.deletionTimestamp ||
    hasCondition(job, 'FailureTarget') ||
    hasCondition(job, 'SuccessCriteriaMet');
  if (finishing) return { failed, delayed: new Map() };
  // calculateSucceededIndexes: completedIndexes plus the succeeded pods not yet counted.
  const completions = job.spec?.completions ?? 0;
  const fresh = pods
    .filter((p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p))
    .map((p) => validIndexOf(p, completions))
    .filter((ix): ix is number => ix !== undefined);
  const succeeded = withIndexes(parseIndexes(job.status?.completedIndexes, completions), fresh);
  return { failed, delayed: podsWithDelayedDeletion(job, pods, active, succeeded, failed) };
}

/**
 * upstream syncJob's backoffLimitPerIndex verdicts: more failed indexes than maxFailedIndexes,
 * or every index finished with at least one failed.
 */
export function failedIndexesVerdict(
  job: JobObj,
  status: JobStatus,
  perIndex: PerIndexState,
): { reason: string; message: string } | undefined {
  const failed = totalIndexes(perIndex.failed);
  const max = job.spec?.maxFailedIndexes;
  if (max !== undefined && max !== null && failed > max) return MAX_FAILED_INDEXES_EXCEEDED;
  const completions = job.spec?.completions ?? 0;
  if (failed > 0 && failed + totalIndexes(parseIndexes(status.completedIndexes, completions)) >= completions)
    return FAILED_INDEXES;
  return undefined;
}
