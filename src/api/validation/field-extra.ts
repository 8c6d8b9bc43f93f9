/**
 * Constructors field.ts does not have yet (upstream's field.NotFound, field.InternalError),
 * re-exported together with field.ts so validators import one module. field.ts is a shared
 * contract we may only extend from beside it.
 */
import type { FieldError } from './field.js';

export * from './field.js';

/** `path: Not found: "value"`, as field.NotFound. */
export const notFound = (field: string, badValue: unknown): FieldError => ({
  type: 'FieldValueNotFound',
  field,
  badValue,
});

/** `path: Internal error: detail`, as field.InternalError. */
export const internalError = (field: string, detail: string): FieldError => ({
  type: 'InternalError',
  field,
  detail,
});
