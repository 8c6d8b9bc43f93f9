// Go time.Duration text, both ways: golang-migrate prints per-migration times with Duration.String()
// ("1/u create_users (15.23ms)"), and our duration flags (-wait-for-db) accept Go's syntax ("90s", "1m30s").

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

export class DurationSyntaxError extends Error {
  override name = 'DurationSyntaxError';
}

/** Parses a Go duration ("1m30s", "250ms") or a bare number of seconds ("30"); returns milliseconds. */
export function parseDurationMs(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_NS[m[2] as string] as number);
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== s.length) {
    throw new DurationSyntaxError(`invalid duration "${text}" (want e.g. 30s, 2m, 1m30s)`);
  }
  return total / 1e6;
}

/** Go's Duration.String() for a non-negative number of nanoseconds. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  if (ns < 1000n) return `${ns}ns`;
  if (ns < 1_000_000n) return `${fraction(ns, 1000n)}µs`;
  if (ns < 1_000_000_000n) return `${fraction(ns, 1_000_000n)}ms`;
  const hours = ns / 3_600_000_000_000n;
  const minutes = (ns / 60_000_000_000n) % 60n;
  const secNs = ns % 60_000_000_000n;
  let out = `${fraction(secNs, 1_000_000_000n)}s`;
  if (hours > 0n || minutes > 0n) out = `${minutes}m${out}`;
  if (hours > 0n) out = `${hours}h${out}`;
  return out;
}

/** value/unit printed with the fractional digits Go keeps (no trailing zeros). */
function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
