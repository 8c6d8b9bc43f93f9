/**
 * JSON string literals without JSON.stringify's overhead for the common case: text with nothing
 * to escape (no quote, backslash, control character or lone surrogate half) is wrapped as is.
 * Anything else goes through JSON.stringify, which is exact.
 */

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** `null` for nginx's `-` (empty value), else the string literal. */
export function jsonStringOrNull(s: string): string {
  return s === '-' ? 'null' : jsonString(s);
}
