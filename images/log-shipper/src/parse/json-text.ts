/**
 * JSON string literals without JSON.stringify's overhead for the common case: text with nothing
 * to escape (no quote, backslash, control character or lone surrogate half) is wrapped as is.
 * Anything else goes through JSON.stringify, which is exact.
 */

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** True when `s` is printable ASCII without `"` or `\`: every substring can be quoted as is. */
export function isPlainAscii(s: string): boolean {
  return !NOT_PLAIN.test(s);
}

const NOT_PLAIN = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;

export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** `null` for nginx's `-` (empty value), else the string literal. */
export function jsonStringOrNull(s: string): string {
  return s === '-' ? 'null' : jsonString(s);
}

/** Quotes without checking; only for substrings of a line that passed isPlainAscii. */
export function quotePlain(s: string): string {
  return `"${s}"`;
}

export function quotePlainOrNull(s: string): string {
  return s === '-' ? 'null' : `"${s}"`;
}
