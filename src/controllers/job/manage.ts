/**
 * Creating and deleting a Job's pods, as upstream's manageJob: create up to the wanted number
 * of active pods in slow-start batches (1, 2, 4, ...), or delete the surplus, ranking pods not
 * yet ready and the newest first. Callers hold the expectations that guard against acting
 * twice on a lagging read.
 */
import type { ControllerDeps } from '../client.js';
import type { Expectations } from '../replicaset/expectations.js';
import { isPodReadyNow, type JobObj, type PodObj, podFromJobTemplate } from './pods.js';

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

export function createPods(
  deps: ControllerDeps,
  expectations: Expectations,
  key: string,
  job: JobObj,
  count: number,
): void {
  const { client, events } = deps;
  const n = Math.min(count, MAX_POD_CREATE_DELETE_PER_SYNC);
  expectations.expectCreations(key, n);
  let remaining = n;
  let batch = 1;
  let firstError: unknown;
  while (remaining > 0 && firstError === undefined) {
    const size = Math.min(batch, remaining);
    for (let i = 0; i < size; i++) {
      try {
        const pod = client.create('pods', podFromJobTemplate(job));
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

/** Deletes `count` of `active` (all when count is undefined), not-ready and newest first. */
export function deletePods(
  deps: ControllerDeps,
  expectations: Expectations,
  key: string,
  job: JobObj,
  active: readonly PodObj[],
  count?: number,
): void {
  const { client, events } = deps;
  const ranked = [...active].sort((a, b) => {
    const ra = isPodReadyNow(a) ? 1 : 0;
    const rb = isPodReadyNow(b) ? 1 : 0;
    if (ra !== rb) return ra - rb;
    return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
  });
  const victims = ranked.slice(0, Math.min(count ?? ranked.length, MAX_POD_CREATE_DELETE_PER_SYNC));
  if (victims.length === 0) return;
  expectations.expectDeletions(
    key,
    victims.map((p) => p.metadata.uid!),
  );
  let firstError: unknown;
  for (const pod of victims) {
    try {
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
