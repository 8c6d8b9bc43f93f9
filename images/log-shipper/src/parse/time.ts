/**
 * Timestamp conversions to RFC 3339. Hand-written because these run once per line on the hot
 * path (Date parsing of nginx's `25/Nov/2026:07:56:33 +0000` would need a custom format anyway).
 */

const MONTHS: Readonly<Record<string, string>> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

const TIME_LOCAL = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-])(\d{2})(\d{2})$/;

let lastTimeLocal = '';
let lastRfc3339: string | null = null;

/** nginx `$time_local` (`25/Nov/2026:07:56:33 +0000`) → `2026-11-25T07:56:33+00:00`; null if malformed. */
export function nginxTimeLocalToRfc3339(s: string): string | null {
  // Consecutive lines mostly share their second: a one-entry cache skips the regex.
  if (s === lastTimeLocal) return lastRfc3339;
  lastTimeLocal = s;
  lastRfc3339 = convertTimeLocal(s);
  return lastRfc3339;
}

function convertTimeLocal(s: string): string | null {
  const m = TIME_LOCAL.exec(s);
  if (!m) return null;
  const month = MONTHS[m[2]!];
  if (month === undefined) return null;
  return `${m[3]}-${month}-${m[1]}T${m[4]}${m[5]}${m[6]}:${m[7]}`;
}

/**
 * nginx error-log time (`2026/11/25 07:56:33`, the server's local time, no zone) → RFC 3339
 * with this process's UTC offset for that instant (containers usually run in UTC).
 */
export function localTimeToRfc3339(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
): string | null {
  const date = new Date(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(date.getTime()) || date.getDate() !== d) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
