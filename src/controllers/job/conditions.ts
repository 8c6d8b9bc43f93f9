/**
 * Job conditions, reasons and messages, as upstream's job controller (1.32, with delayed
 * terminal conditions): a success first records SuccessCriteriaMet and a failure
 * FailureTarget; the terminal Complete / Failed condition follows once no pod of the Job is
 * still running or uncounted, so a watcher of Complete sees final counts.
 *
 *   running ──▶ SuccessCriteriaMet ──(pods gone)──▶ Complete  (+completionTime)
 *      └─────▶ FailureTarget ─────(pods gone)──▶ Failed
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1';

export const COMPLETIONS_REACHED = {
  reason: 'CompletionsReached',
  message: 'Reached expected number of succeeded pods',
} as const;
export const BACKOFF_LIMIT_EXCEEDED = {
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
} as const;
export const DEADLINE_EXCEEDED = {
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
} as const;
/** A FailJob rule of the podFailurePolicy matched; the message names the pod and rule. */
export const POD_FAILURE_POLICY_REASON = 'PodFailurePolicy';
export const MAX_FAILED_INDEXES_EXCEEDED = {
  reason: 'MaxFailedIndexesExceeded',
  message: 'Job has exceeded the specified maximal number of failed indexes',
} as const;
export const FAILED_INDEXES = { reason: 'FailedIndexes', message: 'Job has failed indexes' } as const;
export const JOB_SUSPENDED = { reason: 'JobSuspended', message: 'Job suspended' } as const;
export const JOB_RESUMED = { reason: 'JobResumed', message: 'Job resumed' } as const;

export type JobConditionType = 'Complete' | 'Failed' | 'SuccessCriteriaMet' | 'FailureTarget' | 'Suspended';

export const findCondition = (job: Job, type: JobConditionType): JobCondition | undefined =>
  job.status?.conditions?.find((c) => c.type === type);

export const hasCondition = (job: Job, type: JobConditionType): boolean =>
  findCondition(job, type)?.status === 'True';

/** IsJobFinished: a Complete or Failed condition is True. */
export const isJobFinished = (job: Job): boolean =>
  hasCondition(job, 'Complete') || hasCondition(job, 'Failed');

/**
 * Sets a condition in `conditions` (mutated), as upstream's ensureJobConditionStatus: a new
 * condition is appended (never one that is False: going from nothing to False means
 * nothing); an existing one is replaced, both times set to now, when its status, reason or
 * message differ. Returns whether anything changed.
 */
export function setCondition(
  conditions: JobCondition[],
  type: JobConditionType,
  status: 'True' | 'False',
  why: { reason: string; message: string },
  now: string,
): boolean {
  const fresh: JobCondition = { type, status, lastProbeTime: now, lastTransitionTime: now, ...why };
  const i = conditions.findIndex((c) => c.type === type);
  if (i < 0) {
    if (status === 'False') return false;
    conditions.push(fresh);
    return true;
  }
  const existing = conditions[i]!;
  if (existing.status === status && existing.reason === why.reason && existing.message === why.message)
    return false;
  conditions[i] = fresh;
  return true;
}
