/**
 * Storage errors, as apiserver's storage package names them. The store throws these; the
 * registry translates them per verb into API Status errors (see src/api/registry/interpret.ts).
 */
export type StoreErrorCode = 'NotFound' | 'Exists' | 'Conflict' | 'Compacted' | 'FutureRevision';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For Compacted: the oldest revision still available; for FutureRevision: the current one. */
    readonly revision?: number,
  ) {
    super(message);
  }
}

export const isStoreError = (e: unknown, code?: StoreErrorCode): e is StoreError =>
  e instanceof StoreError && (code === undefined || e.code === code);
