/**
 * The log shipper's error catalog. Every error the program raises on purpose has a stable
 * `code` (LS_ERR_*), so callers and tests branch on the code, never on message text.
 * README.md "Errors" lists the same codes; errors.test.ts keeps the two in step.
 */

export const ERROR_CODES = {
  /** A configuration value is missing, of the wrong type, or out of range. Names the key. */
  LS_ERR_CONFIG: 'invalid configuration',
  /** The configuration file could not be read or is not valid YAML. */
  LS_ERR_CONFIG_FILE: 'configuration file unusable',
  /** A command-line flag is unknown or has a bad value. Names the flag. */
  LS_ERR_FLAG: 'invalid command-line flag',
  /** The state directory cannot be created or written. */
  LS_ERR_STATE: 'state directory unusable',
  /** A sink answered with an error that retrying cannot fix (HTTP 4xx other than 408/429). */
  LS_ERR_SINK_REJECTED: 'sink rejected the batch',
  /** A sink could not be reached or answered with a retryable error. */
  LS_ERR_SINK_UNAVAILABLE: 'sink unavailable',
  /** A bug or an unexpected system failure; the message has the details. */
  LS_ERR_INTERNAL: 'internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ShipperError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${ERROR_CODES[code]}: ${message}`, options);
    this.name = 'ShipperError';
    this.code = code;
  }
}

/** A configuration error; `key` is the dotted path of the offending setting (e.g. `outputs[1].url`). */
export class ConfigError extends ShipperError {
  readonly key: string;
  constructor(key: string, message: string) {
    super('LS_ERR_CONFIG', `${key}: ${message}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

/** A sink failure; `retryable` decides whether the batch is retried with backoff or given up. */
export class SinkError extends ShipperError {
  readonly retryable: boolean;
  /** When only some records failed (Elasticsearch bulk): their indexes in the batch, to retry alone. */
  readonly retryOnly: readonly number[] | undefined;
  constructor(
    retryable: boolean,
    message: string,
    options?: { cause?: unknown; retryOnly?: readonly number[] },
  ) {
    super(retryable ? 'LS_ERR_SINK_UNAVAILABLE' : 'LS_ERR_SINK_REJECTED', message, options);
    this.name = 'SinkError';
    this.retryable = retryable;
    this.retryOnly = options?.retryOnly;
  }
}
