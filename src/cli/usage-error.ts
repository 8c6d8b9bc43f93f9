/**
 * A command-line mistake (unknown flag, bad value, missing argument): main prints the message and
 * the command's usage and exits 2, where any other error exits 1.
 */
export class UsageError extends Error {
  readonly code = 'PODBAY_USAGE';
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** Runs node:util parseArgs (or any parser) and turns its ERR_PARSE_ARGS_* errors into UsageError. */
export function parseOrUsage<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((e as Error).message, usage);
    throw e;
  }
}

/**
 * A Go-style duration as kubectl takes them (`90s`, `5m`, `1m30s`, `1h`), in milliseconds. A bare
 * number is seconds. Anything else is a UsageError naming the flag.
 */
export function parseDuration(flag: string, value: string, usage: string): number {
  const bare = /^\d+$/.test(value) ? `${value}s` : value;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  let rest = bare;
  while (rest !== '') {
    const m = /^(\d+)(ms|s|m|h)/.exec(rest);
    if (!m) break;
    ms += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  if (rest !== '' || bare === '' || ms <= 0) {
    throw new UsageError(
      `${flag}: invalid duration ${JSON.stringify(value)}: expected e.g. 90s, 5m or 1m30s`,
      usage,
    );
  }
  return ms;
}
