/**
 * Human-readable durations, as apimachinery's `duration.HumanDuration` (pkg/util/duration,
 * v0.32): ~2-3 significant figures, so Age cells read "45s", "3m10s", "119m", "7h59m",
 * "2d1h", "367d", "2y1d", "8y". Every threshold below is upstream's; the boundary table in
 * duration.test.ts is upstream's own test table.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Formats `ms` milliseconds. Negative values down to -1.999s read "0s" (upstream tolerates up
 * to two seconds of clock skew between machines); anything earlier reads "<invalid>".
 * Contract: `ms` is a finite number; integer division truncates toward zero as Go's does.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`humanDuration: duration must be finite, got ${ms}`);
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;

  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 3 * 60) return `${minutes}m`;

  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;

  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** Unit sizes in milliseconds, exported for tests and callers that build durations. */
export const DURATION = { SECOND, MINUTE, HOUR, DAY } as const;
