/**
 * The Job controller, as kube-controller-manager's job controller (NonIndexed and Indexed
 * completion modes, pods tracked with finalizers). Sync of one Job:
 *  1. claim the pods its selector matches; a finished Job only releases tracking finalizers;
 *  2. record newly finished pods in status.uncountedTerminatedPods (tracking.ts);
 *  3. decide, in upstream's order: failure (a podFailurePolicy FailJob rule, backoffLimit,
 *     restarts under OnFailure, activeDeadlineSeconds, failed indexes) → FailureTarget; a
 *     successPolicy rule or enough successes → SuccessCriteriaMet; both then delete the active
 *     pods; suspend deletes them too; otherwise create or delete pods toward wantActive, after
 *     the failure backoff (backoff.ts, or per index: index-failures.ts) and only when
 *     expectations are met (manage.ts);
 *  4. write status, remove the finalizers of recorded pods, move them into the counts;
 *  5. once no pod is active, terminating or uncounted, the terminal Complete / Failed
 *     condition (conditions.ts) follows, with completionTime for Complete.
 * Indexed Jobs (indexed.ts): each pod owns one completion index; succeeded indexes are kept in
 * status.completedIndexes and status.succeeded counts them; pods are created for the lowest
 * pending indexes, and active pods without a valid index, or repeating one, are deleted.
 * With backoffLimitPerIndex each index has its own failure budget; spent ones are kept in
 * status.failedIndexes and never retried (index-failures.ts). A podFailurePolicy
 * (pod-failure-policy.ts) decides per failed pod: FailJob, FailIndex, Ignore or Count; a
 * successPolicy (success-policy.ts) may declare an Indexed Job successful early.
 * A pod whose Job is gone gets its tracking finalizer removed, so deleting a Job never leaves
 * pods stuck. Events (component `job-controller`): SuccessfulCreate, SuccessfulDelete,
 * FailedCreate, Completed, BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy,
 * FailedIndexes, MaxFailedIndexesExceeded, Suspended, Resumed.
 */
import type { JobStatus } from 'kubernetes-types/batch/v1';
import type { WatchEvent } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { Expectations } from '../replicaset/expectations.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { claimObjects } from '../util/claim.js';
import { controllerOf, keyOf } from '../util/owners.js';
import { controllerKeysForPodEvent, podSelectorOf } from '../util/pod-controllers.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { BackoffStore } from './backoff.js';
import {
  BACKOFF_LIMIT_EXCEEDED,
  COMPLETIONS_REACHED,
  DEADLINE_EXCEEDED,
  hasCondition,
  isJobFinished,
  JOB_RESUMED,
  JOB_SUSPENDED,
  POD_FAILURE_POLICY_REASON,
  setCondition,
} from './conditions.js';
import {
  failedIndexesVerdict,
  indexesReadyToCreate,
  indexFailureAnnotations,
  type PerIndexState,
  perIndexState,
} from './index-failures.js';
import {
  firstPendingIndexes,
  formatIntervals,
  indexedPodsForRemoval,
  isIndexedJob,
  mergeIntervals,
  parseIndexes,
} from './indexed.js';
import { createPods, deletePods, JOB_COMPONENT, wantActive } from './manage.js';
import { failJobMessage } from './pod-failure-policy.js';
import {
  hasTrackingFinalizer,
  isPodFinished,
  isPodReadyNow,
  isPodTerminating,
  type JobObj,
  type PodObj,
  pastBackoffLimitOnFailure,
  rankForDeletion,
} from './pods.js';
import { matchSuccessPolicy, SUCCESS_POLICY_REASON } from './success-policy.js';
import { countRecorded, recordFinishedPods, removeTrackingFinalizers, uncountedOf } from './tracking.js';

const iso = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

export class JobController extends QueueController {
  readonly name = 'job';
  readonly #expectations: Expectations;
  readonly #backoff = new BackoffStore();

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
    this.#expectations = new Expectations(() => deps.clock.now().getTime());
  }

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'jobs', keysFor: (ev) => [keyOf(ev.object)] },
      { resource: 'pods', keysFor: (ev) => this.#keysForPod(ev) },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.list('jobs').map(keyOf);
  }

  #keysForPod(ev: WatchEvent): readonly string[] {
    return controllerKeysForPodEvent(ev, 'Job', this.#expectations, (namespace) =>
      this.deps.client.list<JobObj>('jobs', { namespace }),
    );
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client } = this.deps;
    const job = client.get<JobObj>('jobs', namespace, name);
    if (!job) {
      this.#expectations.forget(key);
      this.#backoff.forget(key);
      this.#releaseOrphans(namespace, name);
      return;
    }
    const selector = podSelectorOf(job);
    const candidates = client.list<PodObj>('pods', { namespace });
    const pods = claimObjects(client, 'pods', job, candidates, (p) => selector.matches(p.metadata.labels));
    if (isJobFinished(job)) {
      removeTrackingFinalizers(client, pods, undefined);
      return;
    }
    this.#syncActiveJob(key, job, pods);
  }

  #syncActiveJob(key: string, job: JobObj, pods: PodObj[]): void {
    const { client, events } = this.deps;
    const now = this.deps.clock.now();
    const nowIso = iso(now);
    const status: JobStatus = structuredClone(job.status ?? {});
    status.conditions ??= [];
    const active = pods.filter((p) => !isPodFinished(p, job) && !p.metadata.deletionTimestamp);
    const perIndex = perIndexState(job, pods, active);
    const delayedUids = new Set([...(perIndex?.delayed.values() ?? [])].map((p) => p.metadata.uid!));
    const newly = recordFinishedPods(job, pods, status, now.getTime(), delayedUids);
    // upstream writes failedIndexes ("" when none) whenever backoffLimitPerIndex is set.
    if (perIndex) status.failedIndexes = formatIntervals(perIndex.failed);
    this.#backoff.observe(key, newly.succeeded, newly.failureTimesMs);
    const uncounted = uncountedOf(status);
    const succeeded = (status.succeeded ?? 0) + uncounted.succeeded.length;
    const failed = (status.failed ?? 0) + uncounted.failed.length;
    const suspended = job.spec?.suspend === true;

    // Suspension, as upstream: the Suspended condition flips and startTime restarts on resume.
    if (suspended) {
      if (setCondition(status.conditions, 'Suspended', 'True', JOB_SUSPENDED, nowIso)) {
        events.event(job, 'Normal', 'Suspended', 'Job suspended', JOB_COMPONENT);
        delete status.startTime;
      }
    } else {
      if (setCondition(status.conditions, 'Suspended', 'False', JOB_RESUMED, nowIso)) {
        events.event(job, 'Normal', 'Resumed', 'Job resumed', JOB_COMPONENT);
        status.startTime = nowIso;
      }
      status.startTime ??= nowIso;
    }

    // A Job that met its success criteria is not failed any more (upstream's syncJob checks
    // SuccessCriteriaMet first).
    const successMet = hasCondition(job, 'SuccessCriteriaMet');
    const failureTarget =
      !successMet &&
      (hasCondition(job, 'FailureTarget') ||
        this.#failIfDue(job, status, failed, active, pods, perIndex, now));
    const successTarget =
      !failureTarget && (successMet || this.#succeedIfDue(job, status, succeeded, active));
    let manageError: unknown;
    const deleting = !!job.metadata.deletionTimestamp;
    try {
      if (failureTarget) {
        // upstream's deleteActivePods: finalizers kept, so the pods are counted when they end.
        if (active.length > 0) deletePods(this.deps, this.#expectations, key, job, active);
      } else if (successTarget) {
        // A Job that met its success criteria counts its remaining pods neither way: upstream's
        // canRemoveFinalizer releases them in the same sync (a successPolicy stops running pods).
        if (active.length > 0)
          deletePods(this.deps, this.#expectations, key, job, active, undefined, { releaseFinalizer: true });
      } else if (suspended) {
        // upstream's manageJob → deleteJobPods: a suspended Job's pods are released first, so
        // suspending never adds to status.failed.
        if (active.length > 0)
          deletePods(this.deps, this.#expectations, key, job, active, undefined, { releaseFinalizer: true });
      } else if (!deleting && this.#expectations.satisfied(key)) {
        this.#manage(key, job, active, succeeded, pods, status, perIndex);
      }
    } catch (e) {
      manageError = e;
    }

    status.active = active.length;
    status.ready = active.filter(isPodReadyNow).length;
    status.terminating = pods.filter(isPodTerminating).length;
    const written = this.#writeStatus(job, status);
    // Steps 2 and 3: release the recorded pods and count them.
    const recorded = new Set([...uncounted.succeeded, ...uncounted.failed, ...newly.release]);
    if (recorded.size > 0) {
      const done = removeTrackingFinalizers(client, pods, recorded);
      countRecorded(status, done);
    }
    const quiet =
      active.length === 0 &&
      status.terminating === 0 &&
      Object.keys(status.uncountedTerminatedPods ?? {}).length === 0 &&
      !pods.some((p) => hasTrackingFinalizer(p) && !recorded.has(p.metadata.uid!));
    if (quiet && (failureTarget || successTarget)) this.#finish(job, status, failureTarget, nowIso);
    this.#writeStatus(written, status);
    this.#requeueForDeadline(key, job, status, now);
    if (manageError) throw manageError;
  }

  /**
   * Checks the failure rules in upstream syncJob's order: a pod matching a FailJob rule,
   * backoffLimit (or restarts under OnFailure), activeDeadlineSeconds, then, with
   * backoffLimitPerIndex, too many failed indexes or every index done with some failed. On a hit
   * sets FailureTarget and emits the warning event.
   */
  #failIfDue(
    job: JobObj,
    status: JobStatus,
    failed: number,
    active: PodObj[],
    pods: PodObj[],
    perIndex: PerIndexState | undefined,
    now: Date,
  ): boolean {
    const limit = job.spec?.backoffLimit ?? 6;
    let why: { reason: string; message: string } | undefined;
    const policyMessage = failJobMessage(job, pods);
    if (policyMessage !== undefined) why = { reason: POD_FAILURE_POLICY_REASON, message: policyMessage };
    else if (failed > limit || pastBackoffLimitOnFailure(job, active)) why = BACKOFF_LIMIT_EXCEEDED;
    else if (this.#pastActiveDeadline(job, status, now)) why = DEADLINE_EXCEEDED;
    else if (perIndex) why = failedIndexesVerdict(job, status, perIndex);
    if (!why) return false;
    setCondition(status.conditions!, 'FailureTarget', 'True', why, iso(now));
    this.deps.events.event(job, 'Warning', why.reason, why.message, JOB_COMPONENT);
    return true;
  }

  /** A successPolicy rule (Indexed Jobs), else enough completions: SuccessCriteriaMet. */
  #succeedIfDue(job: JobObj, status: JobStatus, succeeded: number, active: PodObj[]): boolean {
    const completions = job.spec?.completions;
    if (isIndexedJob(job) && job.spec?.successPolicy) {
      const n = completions ?? 0;
      const message = matchSuccessPolicy(job.spec.successPolicy, n, parseIndexes(status.completedIndexes, n));
      if (message !== undefined) {
        const why = { reason: SUCCESS_POLICY_REASON, message };
        setCondition(status.conditions!, 'SuccessCriteriaMet', 'True', why, iso(this.deps.clock.now()));
        return true;
      }
    }
    const done =
      completions === undefined || completions === null
        ? succeeded > 0 && active.length === 0
        : succeeded >= completions;
    if (!done) return false;
    setCondition(
      status.conditions!,
      'SuccessCriteriaMet',
      'True',
      COMPLETIONS_REACHED,
      iso(this.deps.clock.now()),
    );
    return true;
  }

  #pastActiveDeadline(job: JobObj, status: JobStatus, now: Date): boolean {
    const deadline = job.spec?.activeDeadlineSeconds;
    if (deadline === undefined || deadline === null || !status.startTime) return false;
    return now.getTime() - Date.parse(status.startTime) >= deadline * 1000;
  }

  #finish(job: JobObj, status: JobStatus, failure: boolean, nowIso: string): void {
    // The terminal condition repeats the reason and message of the interim one, as upstream's
    // newFailedConditionForFailureTarget and trackJobStatusAndRemoveFinalizers do.
    const interim = status.conditions!.find(
      (c) => c.type === (failure ? 'FailureTarget' : 'SuccessCriteriaMet'),
    );
    const why = { reason: interim?.reason ?? '', message: interim?.message ?? '' };
    if (failure) {
      setCondition(status.conditions!, 'Failed', 'True', why, nowIso);
      return;
    }
    setCondition(status.conditions!, 'Complete', 'True', interim ? why : COMPLETIONS_REACHED, nowIso);
    status.completionTime = nowIso;
    this.deps.events.event(job, 'Normal', 'Completed', 'Job completed', JOB_COMPONENT);
  }

  #manage(
    key: string,
    job: JobObj,
    active: PodObj[],
    succeeded: number,
    pods: PodObj[],
    status: JobStatus,
    perIndex: PerIndexState | undefined,
  ): void {
    // With podReplacementPolicy Failed a terminating pod still holds its slot.
    const replaceOnlyFailed = job.spec?.podReplacementPolicy === 'Failed';
    const terminating = replaceOnlyFailed ? pods.filter(isPodTerminating) : [];
    const holding = active.length + terminating.length;
    const want = wantActive(job, succeeded, active.length);
    if (isIndexedJob(job)) {
      // Pods without a valid index or repeating one go first; deletion takes precedence
      // over creation in one sync, as upstream's activePodsForRemoval.
      const { remove, left } = indexedPodsForRemoval(active, job.spec?.completions ?? 0);
      const more = Math.max(0, active.length - want - remove.length);
      const victims = [...remove, ...rankForDeletion(left).slice(0, more)];
      if (victims.length > 0) {
        deletePods(this.deps, this.#expectations, key, job, victims, undefined, { releaseFinalizer: true });
        return;
      }
    } else if (active.length > want) {
      // Surplus pods (parallelism lowered) are released first as upstream's deleteJobPods: they did
      // not fail, and status.failed must not grow.
      deletePods(this.deps, this.#expectations, key, job, active, active.length - want, {
        releaseFinalizer: true,
      });
      return;
    }
    if (holding >= want) return;
    const nowMs = this.deps.clock.now().getTime();
    // With backoffLimitPerIndex each index waits out its own backoff instead of the Job's.
    const wait = perIndex ? 0 : this.#backoff.remainingMs(key, nowMs);
    if (wait > 0) {
      this.queue.addAfter(key, wait);
      return;
    }
    if (isIndexedJob(job)) {
      const completions = job.spec?.completions ?? 0;
      // Failed indexes are never retried (upstream's firstPendingIndexes merges them in).
      const done = mergeIntervals(parseIndexes(status.completedIndexes, completions), perIndex?.failed ?? []);
      let indexes = firstPendingIndexes([...active, ...terminating], done, want - holding, completions);
      if (perIndex) {
        const { ready, waitMs } = indexesReadyToCreate(indexes, perIndex.delayed, nowMs);
        if (waitMs > 0) this.queue.addAfter(key, waitMs);
        indexes = ready;
      }
      const annotate = perIndex
        ? (ix: number) => indexFailureAnnotations(job, perIndex.delayed.get(ix))
        : undefined;
      if (indexes.length > 0)
        createPods(this.deps, this.#expectations, key, job, indexes.length, indexes, annotate);
      return;
    }
    createPods(this.deps, this.#expectations, key, job, want - holding);
  }

  /** Writes status when it changed; returns the Job as stored afterwards. */
  #writeStatus(job: JobObj, status: JobStatus): JobObj {
    const clean = normalizeStatus(status);
    if (semanticEqual(job.status, clean)) return job;
    return this.deps.client.updateStatus('jobs', { ...job, status: clean });
  }

  #requeueForDeadline(key: string, job: JobObj, status: JobStatus, now: Date): void {
    const deadline = job.spec?.activeDeadlineSeconds;
    if (deadline === undefined || deadline === null || !status.startTime) return;
    if (status.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'))
      return;
    const remaining = Date.parse(status.startTime) + deadline * 1000 - now.getTime();
    if (remaining > 0) this.queue.addAfter(key, remaining);
  }

  /** Pods whose Job is gone keep no tracking finalizer (upstream's orphan pod cleanup). */
  #releaseOrphans(namespace: string, jobName: string): void {
    const { client } = this.deps;
    const orphans = client
      .list<PodObj>('pods', { namespace })
      .filter(
        (p) =>
          hasTrackingFinalizer(p) && controllerOf(p)?.kind === 'Job' && controllerOf(p)?.name === jobName,
      );
    if (orphans.length > 0) removeTrackingFinalizers(client, orphans, undefined);
  }
}

/** Drops the zero counts upstream's omitempty drops; ready, terminating and uncounted stay. */
function normalizeStatus(status: JobStatus): JobStatus {
  const s: { -readonly [K in keyof JobStatus]: JobStatus[K] } = structuredClone(status);
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!s[k]) delete s[k];
  if (s.conditions?.length === 0) delete s.conditions;
  s.uncountedTerminatedPods ??= {};
  return s;
}
