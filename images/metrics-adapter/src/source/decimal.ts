/**
 * Plain decimals read straight from the body's bytes, for the values that change every scrape: no
 * string is made to parse them, and none to print them again (see `writeDecimal` in exposition.ts).
 *
 * Only forms whose result is provably the same as `Number(text)` and whose shortest printed form is
 * provably `String(Number(text))` are taken; anything else is left to parseNumber (value.ts):
 * - `-`? digits with at most one `.` (no `+`, exponent, `_`, hex, or `-0`);
 * - at most 15 significant digits and 22 decimals: the mantissa and 10^scale are exact doubles, so
 *   one division rounds once, correctly (Clinger's fast path), exactly as Number() does;
 * - the value is 0 or at least 1e-6 in magnitude: JavaScript prints smaller numbers in exponent form.
 *   With at most 15 significant digits no shorter decimal maps to the same double, so the shortest
 *   round-trip form String() prints is the mantissa itself with its trailing zeros removed.
 */

/** Where readDecimal puts its result: value === mantissa / 10^scale, mantissa has no trailing zero. */
export interface Decimal {
  value: number;
  /** Signed integer, |mantissa| < 10^15; no trailing zero digit when scale > 0. */
  mantissa: number;
  /** Digits after the decimal point, 0..22. */
  scale: number;
}

const MAX_SIGNIFICANT = 15;
const MAX_SCALE = 22;
/** 10^0 .. 10^22, all exact doubles. */
export const POW10: readonly number[] = Array.from({ length: MAX_SCALE + 1 }, (_, i) => 10 ** i);

/** Reads `bytes[start, end)` into `out`; false (and `out` unspecified) when the form is not covered. */
export function readDecimal(bytes: Uint8Array, start: number, end: number, out: Decimal): boolean {
  let i = start;
  const negative = bytes[i] === 45; /* - */
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let scale = 0;
  let dot = false;
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 48 && b <= 57) {
      digits++;
      if (mantissa !== 0 || b !== 48) {
        if (++significant > MAX_SIGNIFICANT) return false;
      }
      mantissa = mantissa * 10 + (b - 48);
      if (dot && ++scale > MAX_SCALE) return false;
    } else if (b === 46 /* . */ && !dot) dot = true;
    else return false;
  }
  if (digits === 0) return false;
  while (scale > 0 && mantissa % 10 === 0) {
    mantissa /= 10;
    scale--;
  }
  if (mantissa === 0) {
    if (negative) return false; // -0 prints as 0; leave it to the general path
    out.value = 0;
    out.mantissa = 0;
    out.scale = 0;
    return true;
  }
  if (scale > 6 && mantissa < POW10[scale - 6]!) return false; // below 1e-6: exponent form
  const magnitude = scale === 0 ? mantissa : mantissa / POW10[scale]!;
  out.value = negative ? -magnitude : magnitude;
  out.mantissa = negative ? -mantissa : mantissa;
  out.scale = scale;
  return true;
}
