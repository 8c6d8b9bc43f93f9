/**
 * CronJob schedules, as robfig/cron's ParseStandard that kube-controller-manager uses: exactly
 * five fields (minute hour day-of-month month day-of-week) or a descriptor (@yearly,
 * @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>), evaluated in
 * a time zone. The field arithmetic and DST handling are cron-parser's (with luxon); this file
 * adds robfig's surface: the field count check and its message, each field's syntax and bounds with
 * robfig's messages (so what a cluster refuses is refused here), the descriptors cron-parser
 * lacks, and a `next` that returns undefined for a schedule that never fires (robfig accepts
 * `0 0 30 2 *`, which cron-parser refuses to parse).
 * robfig's day rule is kept too: with both day fields restricted it fires on either (see
 * expressionsFor), which cron-parser alone gets wrong for a day of month that covers the month.
 */
import cronParser from 'cron-parser';
import { parseGoDuration } from './go-duration.js';

export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

/** robfig's field bounds (spec.go), with the names months and days of the week accept. */
interface FieldBounds {
  readonly min: bigint;
  readonly max: bigint;
  readonly names?: Readonly<Record<string, bigint>>;
}

const names = (list: readonly string[], first: number): Record<string, bigint> =>
  Object.fromEntries(list.map((n, i) => [n, BigInt(first + i)]));

/** minute, hour, day of month, month, day of week: the five fields of ParseStandard. */
const FIELD_BOUNDS: readonly FieldBounds[] = [
  { min: 0n, max: 59n },
  { min: 0n, max: 23n },
  { min: 1n, max: 31n },
  {
    min: 1n,
    max: 12n,
    names: names(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], 1),
  },
  { min: 0n, max: 6n, names: names(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 0) },
];

const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.Atoi for robfig's mustParseInt: a signed decimal, its error texts. */
function mustParseInt(expr: string): bigint {
  if (!/^[+-]?\d+$/.test(expr))
    throw new ScheduleError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`,
    );
  const num = BigInt(expr);
  if (num > INT64_MAX || num < -INT64_MAX - 1n)
    throw new ScheduleError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`,
    );
  if (num < 0n) throw new ScheduleError(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

function parseIntOrName(expr: string, bounds: FieldBounds): bigint {
  const named = bounds.names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/**
 * One comma-separated range of a field, checked as robfig's getRange does (`*` or `?`, `a`, `a-b`,
 * each with an optional `/step`; `a/step` means a to the maximum), with its messages and in its order.
 * cron-parser alone would accept more (7 for Sunday, L, W, #), which a cluster refuses.
 */
function checkRange(expr: string, bounds: FieldBounds): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: bigint;
  let end: bigint;
  const any = lowAndHigh[0] === '*' || lowAndHigh[0] === '?';
  if (any) {
    start = bounds.min;
    end = bounds.max;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, bounds);
    else throw new ScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1n;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    if (lowAndHigh.length === 1) end = bounds.max;
  } else if (rangeAndStep.length > 2) throw new ScheduleError(`too many slashes: ${expr}`);
  if (start < bounds.min)
    throw new ScheduleError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max)
    throw new ScheduleError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end)
    throw new ScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0n) throw new ScheduleError(`step of range should be a positive number: ${expr}`);
  // robfig's star bit: `*` or `?` without a step above 1 leaves the field unrestricted.
  return any && step <= 1n;
}

interface CheckedFields {
  /** The fields in the form cron-parser reads (`?` as `*`, no `+` sign, no empty list items). */
  readonly fields: readonly string[];
  /** Whether day of month / day of week carry robfig's star bit (unrestricted). */
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

/**
 * Checks the five fields as robfig does. Returns null when a field lists no range at all: robfig
 * parses that and the schedule never fires.
 */
function checkFields(fields: readonly string[]): CheckedFields | null {
  const normalized: string[] = [];
  const star: boolean[] = [];
  for (const [i, field] of fields.entries()) {
    // strings.FieldsFunc on ',': empty ranges are skipped, not errors.
    const ranges = field.split(',').filter((r) => r !== '');
    let fieldStar = false;
    for (const range of ranges) if (checkRange(range, FIELD_BOUNDS[i]!)) fieldStar = true;
    if (ranges.length === 0) return null;
    star.push(fieldStar);
    normalized.push(ranges.map((r) => r.replaceAll('?', '*').replace(/(^|[-/])\+/g, '$1')).join(','));
  }
  return { fields: normalized, domStar: star[2]!, dowStar: star[4]! };
}

/**
 * The cron-parser expressions whose union is robfig's schedule. robfig fires on either day field
 * when both are restricted and on the restricted one otherwise; cron-parser decides "restricted"
 * by the values a field covers (a day of month of `1-31` counts as unrestricted there), so two
 * restricted day fields become two expressions, one per field, and the earlier activation wins.
 */
function expressionsFor(c: CheckedFields): string[] {
  const [minute, hour, dom, month, dow] = c.fields;
  if (c.domStar || c.dowStar) return [c.fields.join(' ')];
  return [`${minute} ${hour} ${dom} ${month} *`, `${minute} ${hour} * ${month} ${dow}`];
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
  let expressions: string[];
  if (trimmed.startsWith('@every ')) return everySchedule(trimmed.slice('@every '.length));
  if (trimmed.startsWith('@')) {
    const expanded = DESCRIPTORS[trimmed];
    if (!expanded) throw new ScheduleError(`unrecognized descriptor: ${trimmed}`);
    expressions = [expanded];
  } else {
    const fields = trimmed.split(/\s+/).filter((f) => f !== '');
    if (fields.length !== 5)
      throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    const checked = checkFields(fields);
    if (checked === null) return { next: () => undefined };
    expressions = expressionsFor(checked);
  }
  if (timeZone !== undefined && !isKnownTimeZone(timeZone))
    throw new ScheduleError(`unknown time zone ${timeZone}`);
  const tz = timeZone ? { tz: timeZone } : {};
  expressions = expressions.filter((expression) => {
    try {
      cronParser.parseExpression(expression, { currentDate: new Date(0), ...tz });
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      // A day that no listed month has: robfig parses it and simply never fires.
      if (msg === 'Invalid explicit day of month definition') return false;
      throw new ScheduleError(msg);
    }
  });
  return {
    next(after) {
      let first: Date | undefined;
      for (const expression of expressions) {
        const it = cronParser.parseExpression(expression, { currentDate: new Date(after.getTime()), ...tz });
        try {
          const at = it.next().toDate();
          if (first === undefined || at < first) first = at;
        } catch {
          // this expression has no further activation
        }
      }
      return first;
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
