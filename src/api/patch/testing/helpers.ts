/**
 * Test helpers shared by the patch engine's tests: deep-freezing inputs (so any mutation throws
 * in strict mode) and asserting the ApiError a call throws (shared with the rest of the API's tests).
 */

export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

export { expectApiError } from '../../testing/api-errors.js';
