/**
 * Timestamps in table cells, as printers.go's `translateTimestampSince` and
 * `translateMicroTimestampSince`: the age of a metav1.Time / metav1.MicroTime relative to
 * `now`, or "<unknown>" when the time is unset (Go's zero time).
 *
 * API objects carry times as RFC 3339 strings ("2026-11-25T08:00:58Z", MicroTime with
 * microseconds). A malformed one cannot come from a client (validation decodes it first), so
 * meeting one here means stored data is corrupt: that is an InternalError naming the field,
 * never a silently wrong cell.
 */
import { internalError } from '../../errors.js';
import { UNKNOWN } from './cells.js';
import { humanDuration } from './duration.js';

// Date and time as RFC 3339 requires (Go's time.RFC3339 layout accepts any fraction length).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

// Go's zero time.Time (0001-01-01T00:00:00Z) is what an unset metav1.Time decodes to.
const ZERO_MS = utcMs(1, 1, 1, 0, 0, 0);

/**
 * Parses an RFC 3339 timestamp into epoch milliseconds; `undefined`/`null`/"" (unset) and
 * Go's zero time give `undefined`. `field` names the JSON path for the error message.
 */
export function parseTimestamp(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw internalError(`${field}: expected an RFC 3339 timestamp string, got ${typeof value}`);
  }
  const ms = toEpochMs(RFC3339.exec(value));
  if (ms === undefined) throw internalError(`${field}: invalid RFC 3339 timestamp ${JSON.stringify(value)}`);
  return ms === ZERO_MS ? undefined : ms;
}

/** True for a string Go's time.Parse(time.RFC3339, …) accepts: what metav1.Time and MicroTime decode. */
export function isRFC3339(value: string): boolean {
  return toEpochMs(RFC3339.exec(value)) !== undefined;
}

/** Epoch ms of a matched timestamp, or undefined when a field is out of range (Go's time.Parse rejects "02-30"). */
function toEpochMs(m: RegExpExecArray | null): number | undefined {
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  // Sub-millisecond digits are dropped: ages are printed in whole seconds at best.
  const fractionMs = m[7] ? Math.trunc(Number(`0${m[7]}`) * 1000) : 0;
  const zone = m[8] ?? 'Z';
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(4, 6));
    if (zoneHours > 23 || zoneMinutes > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  return utcMs(year, month, day, hour, minute, second) + fractionMs - offsetMinutes * 60_000;
}

// Date.UTC maps years 0-99 to 1900-1999, so set the full year explicitly.
function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/**
 * The age of `value` at `now` ("5m", "2d"), or "<unknown>" if unset. Same for metav1.Time and
 * metav1.MicroTime: both are RFC 3339 on the wire and upstream formats both with HumanDuration.
 */
export function translateTimestampSince(value: unknown, now: Date, field: string): string {
  const ms = parseTimestamp(value, field);
  return ms === undefined ? UNKNOWN : humanDuration(now.getTime() - ms);
}

/** The Age cell of any object: the age of metadata.creationTimestamp. */
export function ageOf(metadata: { creationTimestamp?: string } | undefined, now: Date): string {
  return translateTimestampSince(metadata?.creationTimestamp, now, 'metadata.creationTimestamp');
}
