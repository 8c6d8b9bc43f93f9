/**
 * The CronJob controller, as kube-controller-manager's cronjob controller (v2). Sync of one
 * CronJob, in upstream's order:
 *  1. reconcile status.active with the Jobs it controls: finished Jobs leave it
 *     (SawCompletedJob), vanished ones too (MissingJob), running strangers are reported
 *     (UnexpectedJob); a succeeded Job advances lastSuccessfulTime;
 *  2. stop when being deleted, when the time zone is unknown (UnknownTimeZone), suspended, or
 *     the schedule does not parse (UnparseableSchedule);
 *  3. find the most recent activation due (schedule-times.ts); none → requeue for the next;
 *     older than startingDeadlineSeconds → MissSchedule; already started → nothing;
 *  4. concurrencyPolicy: Forbid skips while a Job is active (JobAlreadyActive), Replace
 *     deletes the active ones first;
 *  5. create `<name>-<minutes>` (SuccessfulCreate `Created job X`); the deterministic name is
 *     the lock against starting one activation twice; record it in active / lastScheduleTime;
 *  6. trim finished Jobs past the history limits (history.ts), write status, requeue for the
 *     next activation.
 * All timing reads the injected clock; the queue's delayed requeue only decides when to look.
 */
import type { CronJobStatus } from 'kubernetes-types/batch/v1';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import { isKnownTimeZone, parseSchedule } from '../../api/registry/cronjobs/schedule.js';
import type { ControllerDeps } from '../client.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { controllerKeyOfKind, controllerOf, keyOf } from '../util/owners.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { CRONJOB_COMPONENT, cleanupFinishedJobs, deleteJob } from './history.js';
import { type CronJobObj, type JobObj, jobFromTemplate } from './job-template.js';
import { MANY_MISSED, mostRecentScheduleTime, nextScheduleDelayMs } from './schedule-times.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

const finishedCondition = (job: JobObj): string | undefined =>
  job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
    ?.type;

const jobRef = (job: JobObj): ObjectReference => ({
  kind: 'Job',
  namespace: job.metadata.namespace,
  name: job.metadata.name,
  uid: job.metadata.uid,
  apiVersion: 'batch/v1',
  resourceVersion: job.metadata.resourceVersion,
});

export class CronJobController extends QueueController {
  readonly name = 'cronjob';

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
  }

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'cronjobs', keysFor: (ev) => (ev.type === 'DELETED' ? [] : [keyOf(ev.object)]) },
      {
        resource: 'jobs',
        keysFor: (ev) => {
          const owner = controllerKeyOfKind(ev.object, 'CronJob');
          return owner ? [owner] : [];
        },
      },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.list('cronjobs').map(keyOf);
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client } = this.deps;
    const cj = client.get<CronJobObj>('cronjobs', namespace, name);
    if (!cj) return;
    const jobs = client
      .list<JobObj>('jobs', { namespace })
      .filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
    const status: CronJobStatus = structuredClone(cj.status ?? {});
    const nowMs = this.deps.clock.now().getTime();
    let delay: number | undefined;
    let syncError: unknown;
    try {
      delay = this.#syncCronJob(cj, status, jobs, nowMs);
    } catch (e) {
      syncError = e;
    }
    const deleted = new Set(cleanupFinishedJobs(this.deps, cj, jobs));
    if (deleted.size) status.active = (status.active ?? []).filter((r) => !deleted.has(r.uid ?? ''));
    if (status.active?.length === 0) delete status.active;
    if (!semanticEqual(cj.status, status)) client.updateStatus('cronjobs', { ...cj, status });
    if (delay !== undefined) this.queue.addAfter(key, Math.max(0, delay));
    if (syncError) throw syncError;
  }

  /** Steps 1–5 on `status` (mutated); returns the delay until the next look, if any. */
  #syncCronJob(
    cj: CronJobObj,
    status: CronJobStatus,
    jobs: readonly JobObj[],
    nowMs: number,
  ): number | undefined {
    const { client, events } = this.deps;
    const active = new Map((status.active ?? []).map((r) => [r.uid ?? '', r]));
    for (const job of jobs) {
      const uid = job.metadata.uid!;
      const finished = finishedCondition(job);
      if (!active.has(uid) && !finished) {
        events.event(
          cj,
          'Warning',
          'UnexpectedJob',
          `Saw a job that the controller did not create or forgot: ${job.metadata.name}`,
          CRONJOB_COMPONENT,
        );
      } else if (active.has(uid) && finished) {
        active.delete(uid);
        events.event(
          cj,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${job.metadata.name}, condition: ${finished}`,
          CRONJOB_COMPONENT,
        );
      }
      const completedAt = finished === 'Complete' ? job.status?.completionTime : undefined;
      if (
        completedAt &&
        (!status.lastSuccessfulTime || Date.parse(completedAt) > Date.parse(status.lastSuccessfulTime))
      )
        status.lastSuccessfulTime = completedAt;
    }
    const seen = new Set(jobs.map((j) => j.metadata.uid));
    for (const [uid, ref] of active) {
      if (seen.has(uid) || client.get('jobs', ref.namespace ?? '', ref.name ?? '')) continue;
      events.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`, CRONJOB_COMPONENT);
      active.delete(uid);
    }
    status.active = [...active.values()];

    if (cj.metadata.deletionTimestamp) return undefined;
    const timeZone = cj.spec?.timeZone ?? undefined;
    if (timeZone !== undefined && !isKnownTimeZone(timeZone)) {
      events.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${timeZone}"`, CRONJOB_COMPONENT);
      return undefined;
    }
    if (cj.spec?.suspend === true) return undefined;
    let schedule: ReturnType<typeof parseSchedule>;
    try {
      schedule = parseSchedule(cj.spec?.schedule ?? '', timeZone);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      events.event(
        cj,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: "${cj.spec?.schedule ?? ''}" : ${msg}`,
        CRONJOB_COMPONENT,
      );
      return undefined;
    }
    const next = () => nextScheduleDelayMs({ ...cj, status }, nowMs, schedule);
    const due = mostRecentScheduleTime({ ...cj, status }, nowMs, schedule, true);
    if (due.missed > MANY_MISSED)
      events.event(
        cj,
        'Warning',
        'TooManyMissedTimes',
        `too many missed start times: ${due.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
        CRONJOB_COMPONENT,
      );
    const scheduledMs = due.mostRecentMs;
    if (scheduledMs === undefined) return next();
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduledMs + deadline * 1000 < nowMs) {
      events.event(
        cj,
        'Warning',
        'MissSchedule',
        `Missed scheduled time to start a job: ${new Date(scheduledMs).toUTCString().replace('GMT', '+0000')}`,
        CRONJOB_COMPONENT,
      );
      return next();
    }
    const request = jobFromTemplate(cj, scheduledMs);
    const alreadyActive = status.active.some((r) => r.name === request.metadata.name);
    if (alreadyActive || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduledMs))
      return next();
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && status.active.length > 0) {
      events.event(
        cj,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
        CRONJOB_COMPONENT,
      );
      return next();
    }
    if (policy === 'Replace') {
      for (const ref of [...status.active]) {
        const job = client.get<JobObj>('jobs', ref.namespace ?? '', ref.name ?? '');
        if (job && !deleteJob(this.deps, cj, job))
          throw new Error(`could not replace job ${ref.namespace}/${ref.name}`);
        status.active = status.active.filter((r) => r.uid !== ref.uid);
      }
    }
    const created = this.#createJob(cj, request, status);
    if (!created) return undefined;
    status.active = [...status.active, jobRef(created)];
    status.lastScheduleTime = iso(scheduledMs);
    return next();
  }

  /** Creates the Job; an existing one of that name that this CronJob owns is adopted as created. */
  #createJob(cj: CronJobObj, request: JobObj, status: CronJobStatus): JobObj | undefined {
    const { client, events } = this.deps;
    try {
      const job = client.create('jobs', request);
      events.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`, CRONJOB_COMPONENT);
      return job;
    } catch (e) {
      const code = (e as { code?: number }).code;
      const msg = e instanceof Error ? e.message : String(e);
      if (code === 403 && /being terminated/.test(msg)) return undefined;
      if (code !== 409) {
        events.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${msg}`, CRONJOB_COMPONENT);
        throw e;
      }
      const existing = client.get<JobObj>('jobs', request.metadata.namespace!, request.metadata.name!);
      if (!existing || controllerOf(existing)?.uid !== cj.metadata.uid) return undefined;
      if ((status.active ?? []).some((r) => r.uid === existing.metadata.uid)) return undefined;
      return existing;
    }
  }
}
