/**
 * When a CronJob should have started, as upstream's cronjob utils.go: pure functions of the
 * CronJob, `now` and its schedule, so the controller's timing is tested with an injected clock.
 *  - mostRecentScheduleTime: the latest activation in (earliest, now], where earliest is the
 *    last schedule time (or creation), raised to now - startingDeadlineSeconds when asked;
 *  - nextScheduleDelayMs: how long until the following activation (+100 ms, upstream's
 *    nextScheduleDelta, so the sync lands after it, not a hair before).
 */
import type { CronJob } from 'kubernetes-types/batch/v1';
import type { CronSchedule } from '../../api/registry/cronjobs/schedule.js';

/** More missed activations than this earn a TooManyMissedTimes warning (upstream's 100). */
export const MANY_MISSED = 100;
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface MostRecent {
  earliestMs: number;
  /** The latest activation at or before now, if any. */
  mostRecentMs: number | undefined;
  /** Activations in (earliest, now]; MANY_MISSED + 1 stands for "more than MANY_MISSED". */
  missed: number;
}

export function mostRecentScheduleTime(
  cj: CronJob,
  nowMs: number,
  schedule: CronSchedule,
  includeStartingDeadline: boolean,
): MostRecent {
  let earliestMs = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? '');
  if (Number.isNaN(earliestMs)) earliestMs = nowMs;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && deadline !== undefined && deadline !== null)
    earliestMs = Math.max(earliestMs, nowMs - deadline * 1000);
  const t1 = schedule.next(new Date(earliestMs))?.getTime();
  if (t1 === undefined || nowMs < t1) return { earliestMs, mostRecentMs: undefined, missed: 0 };
  let mostRecentMs = t1;
  let missed = 1;
  let t = schedule.next(new Date(t1))?.getTime();
  while (t !== undefined && t <= nowMs && missed <= MANY_MISSED) {
    mostRecentMs = t;
    missed++;
    t = schedule.next(new Date(t))?.getTime();
  }
  if (t !== undefined && t <= nowMs) {
    // Too many to walk one by one: jump close to now on the schedule's own period and walk
    // the last few, which is exact for irregular schedules too.
    const period = Math.max(1000, (schedule.next(new Date(t1))?.getTime() ?? t1 + 1000) - t1);
    let u = schedule.next(new Date(nowMs - 2 * period))?.getTime();
    while (u !== undefined && u <= nowMs) {
      mostRecentMs = u;
      u = schedule.next(new Date(u))?.getTime();
    }
  }
  return { earliestMs, mostRecentMs, missed };
}

/** Milliseconds from now until the sync after the next activation, or undefined if none. */
export function nextScheduleDelayMs(cj: CronJob, nowMs: number, schedule: CronSchedule): number | undefined {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  const from = r.mostRecentMs ?? r.earliestMs;
  const next = schedule.next(new Date(from))?.getTime();
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - nowMs;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`: one name per activation, as a lock. */
export const jobNameFor = (cronJobName: string, scheduledMs: number): string =>
  `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;

/**
 * Go's time.Format(time.RFC3339) of `ms` in `timeZone` (undefined: the engine's local zone):
 * `2026-01-01T09:00:00+01:00`, or `...Z` at offset zero.
 */
export function formatRFC3339InZone(ms: number, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = get('timeZoneName').replace(/^GMT/, '');
  const zone = offset === '' || offset === '+00:00' || offset === '-00:00' ? 'Z' : offset;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}${zone}`;
}
