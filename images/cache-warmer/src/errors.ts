// Typed errors of the cache warmer. `setting` names the flag, environment variable or entries-file
// field a configuration error is about; exit statuses: 2 configuration, 1 Redis/entries, 143 SIGTERM.

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
  }
}

/** A problem in the entries file, located by line and column and named by field path. */
export class EntriesError extends Error {
  override name = 'EntriesError';
  readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${field}: ${reason}`);
  }
}

export class RedisUnavailable extends Error {
  override name = 'RedisUnavailable';
  readonly exitCode = 1;
}

export class WarmFailed extends Error {
  override name = 'WarmFailed';
  readonly exitCode = 1;
  constructor(readonly failures: Array<{ key: string; reason: string }>) {
    super(
      `${failures.length} entr${failures.length === 1 ? 'y is' : 'ies are'} not in place: ${failures.map((f) => `${f.key} (${f.reason})`).join('; ')}`,
    );
  }
}

export class Stopped extends Error {
  override name = 'Stopped';
  readonly exitCode = 143;
}
