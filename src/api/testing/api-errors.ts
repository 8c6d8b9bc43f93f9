/**
 * Test helpers for the ApiErrors the API layer throws (tests only): catch one to assert its code and its
 * exact upstream message.
 */
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';

/** The ApiError `fn` throws; any other exception is rethrown, and returning normally fails the test. */
export function thrownApiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail('expected an ApiError');
}

/** Runs `fn`, asserts it throws an ApiError with `code` (and `message`), returns the error for more checks. */
export function expectApiError(fn: () => unknown, code: number, message?: string | RegExp): ApiError {
  const caught = thrownApiError(fn);
  assert.equal(caught.code, code, caught.message);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else if (message) assert.match(caught.message, message);
  return caught;
}
