/**
 * Test helpers shared by the patch engine's tests: deep-freezing inputs (so any mutation throws
 * in strict mode) and asserting the ApiError a call throws.
 */
import assert from 'node:assert/strict';
import { ApiError } from '../../errors.js';

export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Runs `fn`, asserts it throws an ApiError with `code`, returns the error for more checks. */
export function expectApiError(fn: () => unknown, code: number, message?: string | RegExp): ApiError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ApiError, `expected ApiError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else if (message) assert.match(caught.message, message);
  return caught;
}
