/**
 * CronJob schedules, as robfig/cron's ParseStandard that kube-controller-manager uses: exactly
 * five fields (minute hour day-of-month month day-of-week) or a descriptor (@yearly,
 * @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>), evaluated in
 * a time zone. The field arithmetic and DST handling are cron-parser's (with luxon); this file
 * adds robfig's surface: the field count check and its message, the descriptors cron-parser
 * lacks, and a `next` that returns undefined for a schedule that never fires (robfig accepts
 * `0 0 30 2 *`, which cron-parser refuses to parse).
 */
import cronParser from 'cron-parser';
import { parseGoDuration } from './go-duration.js';

export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

/** robfig's descriptors, as the five-field expressions they stand for. */
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSchedule {
  /** The first activation strictly after `after`, or undefined if there is none. */
  next(after: Date): Date | undefined;
}

/** The IANA zone is valid for this process (Intl knows it). "Local" is not a zone here. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses `schedule`; `timeZone` undefined means the engine's local zone, as upstream uses the
 * controller manager's. Throws ScheduleError with robfig's wording where it has one.
 */
export function parseSchedule(schedule: string, timeZone?: string): CronSchedule {
  const trimmed = schedule.trim();
  let expression = trimmed;
  if (trimmed.startsWith('@every ')) return everySchedule(trimmed.slice('@every '.length));
  if (trimmed.startsWith('@')) {
    const expanded = DESCRIPTORS[trimmed];
    if (!expanded) throw new ScheduleError(`unrecognized descriptor: ${trimmed}`);
    expression = expanded;
  } else {
    const fields = trimmed.split(/\s+/).filter((f) => f !== '');
    if (fields.length !== 5)
      throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  }
  if (timeZone !== undefined && !isKnownTimeZone(timeZone))
    throw new ScheduleError(`unknown time zone ${timeZone}`);
  const tz = timeZone ? { tz: timeZone } : {};
  try {
    cronParser.parseExpression(expression, { currentDate: new Date(0), ...tz });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // A day that no listed month has: robfig parses it and simply never fires.
    if (msg === 'Invalid explicit day of month definition') return { next: () => undefined };
    throw new ScheduleError(msg);
  }
  return {
    next(after) {
      // Whole-minute schedules: start from the next second so `after` itself never matches.
      const it = cronParser.parseExpression(expression, { currentDate: new Date(after.getTime()), ...tz });
      try {
        return it.next().toDate();
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * robfig's ConstantDelaySchedule: `@every <Go duration>`, rounded down to whole seconds (at
 * least 1 s); the next activation is `after` truncated to the second plus the delay.
 */
function everySchedule(durationText: string): CronSchedule {
  const ms = parseGoDuration(durationText.trim());
  if (ms === undefined)
    throw new ScheduleError(
      `failed to parse duration @every ${durationText}: time: invalid duration "${durationText}"`,
    );
  const delay = Math.max(1000, Math.floor(ms / 1000) * 1000);
  return { next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + delay) };
}
