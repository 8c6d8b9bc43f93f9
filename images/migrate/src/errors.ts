// Typed errors of the migrate CLI. Their messages are golang-migrate's where one exists, so scripts
// that grep its stderr keep working; `setting` names the flag/URL option a configuration error is about.

export class MigrateError extends Error {
  override name = 'MigrateError';
  constructor(
    message: string,
    readonly setting?: string,
  ) {
    super(message);
  }
}

/** golang-migrate's ErrNoChange: printed as "no change", exit status 0. */
export class NoChange extends MigrateError {
  override name = 'NoChange';
  constructor() {
    super('no change');
  }
}

/** golang-migrate's ErrDirty; `explanation` adds what we know about how it became dirty. */
export class DirtyError extends MigrateError {
  override name = 'DirtyError';
  constructor(
    readonly version: bigint,
    readonly explanation: string[],
  ) {
    super(`Dirty database version ${version}. Fix and force version.`);
  }
}

export class LockTimeoutError extends MigrateError {
  override name = 'LockTimeoutError';
  constructor(readonly holder: string) {
    super(`timeout: can't acquire database lock${holder ? ` (held by ${holder})` : ''}`);
  }
}

/** A migration body failed; the message follows golang-migrate's database.Error shape. */
export class MigrationFailed extends MigrateError {
  override name = 'MigrationFailed';
  constructor(
    message: string,
    readonly details: string[],
  ) {
    super(message);
  }
}

/** Configuration error: exits 1 at start naming the setting. */
export class ConfigError extends MigrateError {
  override name = 'ConfigError';
}

/** Raised when SIGTERM/SIGINT stopped the run; `exitCode` follows the signal. */
export class Stopped extends MigrateError {
  override name = 'Stopped';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
