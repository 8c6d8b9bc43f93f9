/**
 * Counting finished pods exactly once, as upstream's trackJobStatusAndRemoveFinalizers. Every
 * pod a Job creates carries the batch.kubernetes.io/job-tracking finalizer, so it cannot vanish
 * before it is counted. Counting takes three durable steps, each safe to repeat after a crash:
 *   1. record the uid of each finished pod in status.uncountedTerminatedPods (a status write);
 *   2. remove the finalizer from those pods;
 *   3. move the uids whose finalizer is gone into status.succeeded / status.failed.
 * A finished pod without the finalizer is one already counted (or never tracked), as upstream.
 *
 * Indexed Jobs (upstream's trackJobStatusAndRemoveFinalizers with isIndexed): a succeeded pod
 * is recorded by its index, merged into status.completedIndexes in step 1, and status.succeeded
 * is the number of completed indexes, so a second success of an index counts once. Its uid never
 * enters uncountedTerminatedPods. A finished pod without a valid index (missing, malformed or
 * not below completions) is not counted at all; its finalizer is released all the same.
 *
 * With a podFailurePolicy, a failed pod matching an Ignore rule is released without being
 * counted (upstream's matchPodFailurePolicy countFailed = false); with backoffLimitPerIndex,
 * the failed pods whose deletion is delayed (index-failures.ts) are left alone until their
 * replacement exists.
 */
import type { JobStatus, UncountedTerminatedPods } from 'kubernetes-types/batch/v1';
import { JOB_TRACKING_FINALIZER } from '../../api/registry/jobs/labels.js';
import type { ObjectClient } from '../client.js';
import {
  formatIntervals,
  isIndexedJob,
  parseIndexes,
  totalIndexes,
  validIndexOf,
  withIndexes,
} from './indexed.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import {
  hasTrackingFinalizer,
  isPodFailed,
  isPodSucceeded,
  type JobObj,
  type PodObj,
  podFinishedAt,
} from './pods.js';

type Uncounted = { succeeded: string[]; failed: string[] };

export function uncountedOf(status: JobStatus): Uncounted {
  const u: UncountedTerminatedPods = status.uncountedTerminatedPods ?? {};
  return { succeeded: [...(u.succeeded ?? [])], failed: [...(u.failed ?? [])] };
}

export interface NewlyFinished {
  succeeded: number;
  /** Finish times (ms) of the newly failed pods, for the replacement backoff. */
  failureTimesMs: number[];
  /**
   * Finished, tracked pods recorded outside uncountedTerminatedPods (Indexed Jobs: succeeded
   * pods, whose index is in completedIndexes, and pods without a valid index; failed pods a
   * podFailurePolicy Ignore rule matched), whose finalizer is removed once the status is written.
   */
  release: string[];
}

/** Whether a failed pod counts toward status.failed (not when an Ignore rule matches it). */
const countsAsFailed = (job: JobObj, pod: PodObj): boolean =>
  matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed;

/**
 * Step 1, in memory: adds the uids of finished, still-tracked pods to `status` (mutated).
 * Pods in `delayed` (uids) are skipped: upstream's canRemoveFinalizer says not yet.
 */
export function recordFinishedPods(
  job: JobObj,
  pods: readonly PodObj[],
  status: JobStatus,
  nowMs: number,
  delayed: ReadonlySet<string> = new Set(),
): NewlyFinished {
  const u = uncountedOf(status);
  const known = new Set([...u.succeeded, ...u.failed, ...delayed]);
  const found: NewlyFinished = { succeeded: 0, failureTimesMs: [], release: [] };
  if (isIndexedJob(job)) {
    recordIndexed(job, pods, status, u, known, found, nowMs);
    return found;
  }
  for (const pod of pods) {
    const uid = pod.metadata.uid!;
    if (!hasTrackingFinalizer(pod) || known.has(uid)) continue;
    if (isPodSucceeded(pod)) {
      u.succeeded.push(uid);
      found.succeeded++;
    } else if (isPodFailed(pod, job)) {
      if (countsAsFailed(job, pod)) u.failed.push(uid);
      else found.release.push(uid);
      found.failureTimesMs.push(podFinishedAt(pod) ?? nowMs);
    }
  }
  status.uncountedTerminatedPods = compact(u);
  return found;
}

function recordIndexed(
  job: JobObj,
  pods: readonly PodObj[],
  status: JobStatus,
  u: Uncounted,
  known: ReadonlySet<string>,
  found: NewlyFinished,
  nowMs: number,
): void {
  const completions = job.spec?.completions ?? 0;
  const succeededIndexes: number[] = [];
  for (const pod of pods) {
    const uid = pod.metadata.uid!;
    if (!hasTrackingFinalizer(pod) || known.has(uid)) continue;
    const ix = validIndexOf(pod, completions);
    if (isPodSucceeded(pod)) {
      found.release.push(uid);
      if (ix === undefined) continue;
      succeededIndexes.push(ix);
      found.succeeded++;
    } else if (isPodFailed(pod, job)) {
      if (ix === undefined || !countsAsFailed(job, pod)) {
        found.release.push(uid);
        if (ix === undefined) continue;
      } else u.failed.push(uid);
      found.failureTimesMs.push(podFinishedAt(pod) ?? nowMs);
    }
  }
  const completed = withIndexes(parseIndexes(status.completedIndexes, completions), succeededIndexes);
  const text = formatIntervals(completed);
  if (text) status.completedIndexes = text;
  else delete status.completedIndexes;
  status.succeeded = totalIndexes(completed);
  status.uncountedTerminatedPods = compact(u);
}

/**
 * Step 2: removes the tracking finalizer from the pods named by `uids` (or every pod when
 * `uids` is undefined). Returns the uids now free of it, including pods already gone.
 */
export function removeTrackingFinalizers(
  client: ObjectClient,
  pods: readonly PodObj[],
  uids: ReadonlySet<string> | undefined,
): Set<string> {
  const done = new Set<string>();
  const byUid = new Map(pods.map((p) => [p.metadata.uid!, p]));
  for (const uid of uids ?? byUid.keys()) {
    const pod = byUid.get(uid);
    if (!pod || !hasTrackingFinalizer(pod)) {
      done.add(uid);
      continue;
    }
    const copy = structuredClone(pod);
    copy.metadata.finalizers = (copy.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
    if (copy.metadata.finalizers.length === 0) delete copy.metadata.finalizers;
    try {
      client.update('pods', copy);
      done.add(uid);
    } catch (e) {
      if ((e as { code?: number }).code === 404) done.add(uid);
      else throw e;
    }
  }
  return done;
}

/** Step 3, in memory: moves the `done` uids from uncounted into the counts of `status`. */
export function countRecorded(status: JobStatus, done: ReadonlySet<string>): void {
  const u = uncountedOf(status);
  const movedSucceeded = u.succeeded.filter((uid) => done.has(uid));
  const movedFailed = u.failed.filter((uid) => done.has(uid));
  status.succeeded = (status.succeeded ?? 0) + movedSucceeded.length;
  status.failed = (status.failed ?? 0) + movedFailed.length;
  status.uncountedTerminatedPods = compact({
    succeeded: u.succeeded.filter((uid) => !done.has(uid)),
    failed: u.failed.filter((uid) => !done.has(uid)),
  });
}

/** Empty lists are omitted, as upstream's omitempty writes them. */
function compact(u: Uncounted): UncountedTerminatedPods {
  const out: UncountedTerminatedPods = {};
  if (u.succeeded.length) out.succeeded = u.succeeded;
  if (u.failed.length) out.failed = u.failed;
  return out;
}
