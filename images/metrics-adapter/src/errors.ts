/**
 * The metrics adapter's error catalog. Every error raised on purpose has a stable `code` (MA_ERR_*),
 * so callers and tests branch on the code, never on message text. README.md "Errors" lists the same
 * codes; errors.test.ts keeps the two in step.
 */

export const ERROR_CODES = {
  /** A flag, environment variable or rules-file setting is invalid. The message names the setting. */
  MA_ERR_CONFIG: 'invalid configuration',
  /** Two mapping rules would produce clashing names, types, label sets or series. Names both rules. */
  MA_ERR_RULE_CLASH: 'clashing mapping rules',
  /** The source could not be fetched: refused, timed out, HTTP status not 2xx, too large, unreadable. */
  MA_ERR_SOURCE: 'source unavailable',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AdapterError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${ERROR_CODES[code]}: ${message}`, options);
    this.name = 'AdapterError';
    this.code = code;
  }
}

/** A configuration error; `setting` is the flag (`--listen`) or rules-file path (`mappings[2].type`). */
export class ConfigError extends AdapterError {
  readonly setting: string;
  constructor(setting: string, message: string) {
    super('MA_ERR_CONFIG', `${setting}: ${message}`);
    this.name = 'ConfigError';
    this.setting = setting;
  }
}

export class RuleClashError extends AdapterError {
  constructor(message: string) {
    super('MA_ERR_RULE_CLASH', message);
    this.name = 'RuleClashError';
  }
}

/**
 * Why one fetch of the source failed. `reason` is the label value of
 * `<prefix>source_errors_total{reason}`, so it is a closed set.
 */
export const SOURCE_ERROR_REASONS = ['connect', 'timeout', 'http_status', 'too_large', 'read'] as const;
export type SourceErrorReason = (typeof SOURCE_ERROR_REASONS)[number];

export class SourceError extends AdapterError {
  readonly reason: SourceErrorReason;
  constructor(reason: SourceErrorReason, message: string, options?: { cause?: unknown }) {
    super('MA_ERR_SOURCE', `${reason}: ${message}`, options);
    this.name = 'SourceError';
    this.reason = reason;
  }
}
