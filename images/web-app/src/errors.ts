// Typed errors of the web app. Each has a stable `code` (WEBAPP_*) and the HTTP status it maps to;
// only src/http/respond.ts turns them into a response body: {"error":{"code","message","field"?}}.

export class WebAppError extends Error {
  override name = 'WebAppError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** The query parameter, path segment or setting the error is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A bad setting at start-up; `setting` names the environment variable. Exit status 2. */
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

export const badParam = (field: string, message: string) =>
  new WebAppError('WEBAPP_BAD_PARAM', 400, `${field}: ${message}`, field);

export const notFound = (message: string) => new WebAppError('WEBAPP_NOT_FOUND', 404, message);

export const methodNotAllowed = (method: string, path: string) =>
  new WebAppError('WEBAPP_METHOD_NOT_ALLOWED', 405, `${method} is not allowed on ${path}`);

/** A dependency (PostgreSQL, Redis) failed or timed out; the request may succeed later. */
export const unavailable = (what: string, reason: string) =>
  new WebAppError('WEBAPP_UNAVAILABLE', 503, `${what}: ${reason}`);

/** The table the request reads does not exist: the migrations have not run. */
export const schemaMissing = (table: string) =>
  new WebAppError('WEBAPP_SCHEMA_MISSING', 503, `table "${table}" does not exist (migrations not applied?)`);
