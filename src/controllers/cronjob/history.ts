/**
 * Finished-Job history limits, as upstream's cleanupFinishedJobs: keep the newest
 * successfulJobsHistoryLimit Complete Jobs and failedJobsHistoryLimit Failed Jobs of a CronJob
 * (ordered by status.startTime, Jobs never started last, then by name), delete the rest with
 * Background propagation and an event `SuccessfulDelete Deleted job <name>`.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import type { ControllerDeps } from '../client.js';
import type { CronJobObj, JobObj } from './job-template.js';

export const CRONJOB_COMPONENT = { component: 'cronjob-controller' };

const finishedAs = (job: Job): 'Complete' | 'Failed' | undefined =>
  job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
    ?.type as 'Complete' | 'Failed' | undefined;

/** byJobStartTime. */
function compareStart(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa && sb && sa !== sb) return Date.parse(sa) - Date.parse(sb);
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Deletes Jobs past the limits; returns the uids deleted (to drop from status.active). */
export function cleanupFinishedJobs(deps: ControllerDeps, cj: CronJobObj, jobs: readonly JobObj[]): string[] {
  const deleted: string[] = [];
  const plan: [readonly JobObj[], number | undefined][] = [
    [jobs.filter((j) => finishedAs(j) === 'Complete'), cj.spec?.successfulJobsHistoryLimit],
    [jobs.filter((j) => finishedAs(j) === 'Failed'), cj.spec?.failedJobsHistoryLimit],
  ];
  for (const [finished, limit] of plan) {
    if (limit === undefined || limit === null) continue;
    const excess = finished.length - limit;
    if (excess <= 0) continue;
    for (const job of [...finished].sort(compareStart).slice(0, excess)) {
      if (deleteJob(deps, cj, job)) deleted.push(job.metadata.uid!);
    }
  }
  return deleted;
}

/** deleteJob: Background propagation; a Job already gone counts as deleted. */
export function deleteJob(deps: ControllerDeps, cj: CronJobObj, job: JobObj): boolean {
  try {
    deps.client.delete('jobs', job.metadata.namespace!, job.metadata.name!, {
      propagationPolicy: 'Background',
    });
  } catch (e) {
    if ((e as { code?: number }).code !== 404) {
      const msg = e instanceof Error ? e.message : String(e);
      deps.events.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${msg}`, CRONJOB_COMPONENT);
      return false;
    }
  }
  deps.events.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`, CRONJOB_COMPONENT);
  return true;
}
