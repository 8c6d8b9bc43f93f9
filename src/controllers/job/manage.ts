/**
 * Creating and deleting a Job's pods, as upstream's manageJob: create up to the wanted number
 * of active pods in slow-start batches (1, 2, 4, ...), or delete the surplus, ranking pods not
 * yet ready and the newest first. Callers hold the expectations that guard against acting
 * twice on a lagging read.
 */
import type { ControllerDeps } from '../client.js';
import type { Expectations } from '../replicaset/expectations.js';
import { setCompletionIndex } from './indexed.js';
import { type JobObj, type PodObj, podFromJobTemplate, rankForDeletion } from './pods.js';
import { removeTrackingFinalizers } from './tracking.js';

export const JOB_COMPONENT = { component: 'job-controller' };
/** upstream's MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

/**
 * How many pods should be active: with completions, the remaining completions up to
 * parallelism; without, parallelism until the first success, then no new ones.
 */
export function wantActive(job: JobObj, succeeded: number, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const isNamespaceTerminating = (e: unknown): boolean =>
  (e as { code?: number }).code === 403 && /because it is being terminated/.test(errorMessage(e));

/**
 * Creates `count` pods, or, for an Indexed Job, one pod for each of `indexes` (lowest first;
 * `count` is then ignored), each with the extra annotations `annotate` gives its index
 * (backoffLimitPerIndex's failure counts).
 */
export function createPods(
  deps: ControllerDeps,
  expectations: Expectations,
  key: string,
  job: JobObj,
  count: number,
  indexes?: readonly number[],
  annotate?: (index: number) => Record<string, string>,
): void {
  const { client, events } = deps;
  const n = Math.min(indexes ? indexes.length : count, MAX_POD_CREATE_DELETE_PER_SYNC);
  let next = 0;
  expectations.expectCreations(key, n);
  let remaining = n;
  let batch = 1;
  let firstError: unknown;
  while (remaining > 0 && firstError === undefined) {
    const size = Math.min(batch, remaining);
    for (let i = 0; i < size; i++) {
      try {
        const fresh = podFromJobTemplate(job);
        const index = indexes?.[next++];
        if (index !== undefined) {
          setCompletionIndex(fresh, job.metadata.name!, index);
          if (annotate) fresh.metadata.annotations = { ...fresh.metadata.annotations, ...annotate(index) };
        }
        const pod = client.create('pods', fresh);
        events.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, JOB_COMPONENT);
      } catch (e) {
        expectations.creationObserved(key);
        if (isNamespaceTerminating(e)) continue;
        events.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`, JOB_COMPONENT);
        firstError ??= e;
      }
    }
    remaining -= size;
    batch *= 2;
  }
  for (let i = 0; i < remaining; i++) expectations.creationObserved(key);
  if (firstError !== undefined) throw firstError;
}

/**
 * Deletes `count` of `active` (all when count is undefined), not-ready and newest first. With
 * `releaseFinalizer` the tracking finalizer is removed first, so the pod is never counted, as
 * upstream's deleteJobPods (surplus pods, a suspended Job's pods, an Indexed Job's invalid ones);
 * without it, as deleteActivePods when a Job fails or succeeds (the pods are counted as they end).
 */
export function deletePods(
  deps: ControllerDeps,
  expectations: Expectations,
  key: string,
  job: JobObj,
  active: readonly PodObj[],
  count?: number,
  opts: { releaseFinalizer?: boolean } = {},
): void {
  const { client, events } = deps;
  const ranked = rankForDeletion(active);
  const victims = ranked.slice(0, Math.min(count ?? ranked.length, MAX_POD_CREATE_DELETE_PER_SYNC));
  if (victims.length === 0) return;
  expectations.expectDeletions(
    key,
    victims.map((p) => p.metadata.uid!),
  );
  let firstError: unknown;
  for (const pod of victims) {
    try {
      if (opts.releaseFinalizer) removeTrackingFinalizers(client, [pod], new Set([pod.metadata.uid!]));
      client.delete('pods', pod.metadata.namespace!, pod.metadata.name!);
      events.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, JOB_COMPONENT);
    } catch (e) {
      expectations.deletionObserved(key, pod.metadata.uid!);
      if ((e as { code?: number }).code === 404) continue;
      events.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`, JOB_COMPONENT);
      firstError ??= e;
    }
  }
  if (firstError !== undefined) throw firstError;
}
