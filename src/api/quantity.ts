/**
 * resource.Quantity, as apimachinery's api/resource: parse the wire string, compare, convert, and
 * print the canonical form upstream serializes (`1000m` -> `1`, `0.5` -> `500m`, `1024Mi` -> `1Gi`).
 *
 * Contract:
 *  - A parsed value is exact to the nano (10^-9), as upstream's: finer input is rounded up
 *    (away from zero), so `0.1n` reads as `1n`.
 *  - The format (DecimalSI, BinarySI, DecimalExponent) comes from the suffix and survives a
 *    round trip, as upstream's: `1e3` stays `1e3`, `1k` stays `1k`, `1536Mi` stays `1536Mi`.
 *  - Bad input throws QuantityParseError with upstream's message (ErrFormatWrong / ErrSuffix).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9 (exact: every quantity is rounded up to the nano on parse). */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

/** Upstream's resource.ErrFormatWrong text. */
export const QUANTITY_FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** Upstream's resource.ErrSuffix text. */
export const QUANTITY_SUFFIX_MESSAGE = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {
  override readonly name = 'QuantityParseError';
  readonly code = 'QUANTITY_PARSE';
  constructor(
    message: string,
    /** The text that failed to parse. */
    readonly input: string,
  ) {
    super(message);
  }
}

const NANOS_PER_UNIT = 1_000_000_000n;

/** Decimal suffixes and their power of ten; binary ones and their power of two. */
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  '': 0,
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

const MAX_DECIMAL_EXPONENT = 1000;
/** Upstream caps BinarySI values at the int64 maximum (ParseQuantity's maxAllowed). */
const MAX_BINARY_NANOS = (2n ** 63n - 1n) * 1_000_000_000n;

const SUFFIX_LETTERS = /^[eEinumkKMGTP]*[-+]?[0-9]*$/;

interface SplitQuantity {
  negative: boolean;
  whole: string;
  fraction: string;
  suffix: string;
}

/** Splits `-1.5Gi` into sign, digits and suffix, as upstream's parseQuantityString. */
function split(str: string): SplitQuantity {
  let pos = 0;
  let negative = false;
  if (str[pos] === '+' || str[pos] === '-') {
    negative = str[pos] === '-';
    pos++;
  }
  const wholeStart = pos;
  while (pos < str.length && str[pos]! >= '0' && str[pos]! <= '9') pos++;
  const whole = str.slice(wholeStart, pos);
  let fraction = '';
  if (str[pos] === '.') {
    pos++;
    const fracStart = pos;
    while (pos < str.length && str[pos]! >= '0' && str[pos]! <= '9') pos++;
    fraction = str.slice(fracStart, pos);
  }
  if (whole === '' && fraction === '') throw new QuantityParseError(QUANTITY_FORMAT_MESSAGE, str);
  const suffix = str.slice(pos);
  if (!SUFFIX_LETTERS.test(suffix)) throw new QuantityParseError(QUANTITY_FORMAT_MESSAGE, str);
  return { negative, whole, fraction, suffix };
}

/** base and exponent of a suffix, or undefined when it is none upstream knows. */
function interpretSuffix(
  suffix: string,
): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    const exponent = Number.parseInt(suffix.slice(1), 10);
    // Upstream takes any int32 exponent; values past 10^±MAX_DECIMAL_EXPONENT are refused here
    // because they would be expanded digit by digit (and mean nothing as a resource amount).
    if (Math.abs(exponent) <= MAX_DECIMAL_EXPONENT) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  return undefined;
}

/** Divides and rounds away from zero (upstream rounds quantities up, never down). */
function divideRoundingUp(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  return numerator % denominator === 0n ? q : numerator < 0n ? q - 1n : q + 1n;
}

/** Parses a quantity string (or a JSON number, which YAML `cpu: 0.5` decodes to). */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? String(input) : input;
  if (str.length === 0) throw new QuantityParseError(QUANTITY_FORMAT_MESSAGE, str);
  const parts = split(str);
  const unit = interpretSuffix(parts.suffix);
  if (!unit) throw new QuantityParseError(QUANTITY_SUFFIX_MESSAGE, str);
  // value = digits * 10^-fractionDigits * base^exponent, computed exactly as a fraction.
  let numerator = BigInt(parts.whole + parts.fraction || '0');
  let denominator = 10n ** BigInt(parts.fraction.length);
  if (unit.base === 2) numerator <<= BigInt(unit.exponent);
  else if (unit.exponent >= 0) numerator *= 10n ** BigInt(unit.exponent);
  else denominator *= 10n ** BigInt(-unit.exponent);
  let nanos = divideRoundingUp(numerator * NANOS_PER_UNIT, denominator);
  if (unit.format === 'BinarySI' && nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
  if (parts.negative) nanos = -nanos;
  return { nanos, format: unit.format };
}

/** Removes every factor of ten: returns the reduced mantissa and how many were removed. */
function stripTens(value: bigint): { mantissa: bigint; tens: number } {
  let mantissa = value;
  let tens = 0;
  while (mantissa !== 0n && mantissa % 10n === 0n) {
    mantissa /= 10n;
    tens++;
  }
  return { mantissa, tens };
}

/** Decimal canonical form: the smallest integer mantissa whose exponent is a multiple of three. */
function formatDecimal(nanos: bigint, format: 'DecimalSI' | 'DecimalExponent'): string {
  const { mantissa, tens } = stripTens(nanos);
  let exponent = tens - 9;
  let amount = mantissa;
  const rem = ((exponent % 3) + 3) % 3;
  amount *= 10n ** BigInt(rem);
  exponent -= rem;
  if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  // DecimalSI has no suffix past E (10^18): upstream falls back to exponent notation there
  // (`1000E` is served as `1e21`) rather than lose the magnitude.
  if (exponent > 18) return `${amount}e${exponent}`;
  return `${amount}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
}

/** The string upstream serializes for this quantity (Quantity.String()). */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  if (q.format === 'BinarySI') {
    const wholeUnits = q.nanos / NANOS_PER_UNIT;
    const isWhole = q.nanos % NANOS_PER_UNIT === 0n;
    // Small or fractional binary values print as decimal, as upstream's CanonicalizeBytes does.
    if (isWhole && (wholeUnits >= 1024n || wholeUnits <= -1024n)) {
      let amount = wholeUnits;
      let exponent = 0;
      while (exponent < 60 && amount % 1024n === 0n) {
        amount /= 1024n;
        exponent += 10;
      }
      return `${amount}${BINARY_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
    }
    return formatDecimal(q.nanos, 'DecimalSI');
  }
  return formatDecimal(q.nanos, q.format);
}

/** Parses and prints again: what the API server stores and serves for this quantity. */
export function canonicalizeQuantity(input: string | number): string {
  return formatQuantity(parseQuantity(input));
}

/** -1, 0 or 1, as Quantity.Cmp. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** Rounds up (away from zero) to 10^scale, as Quantity.RoundUp; scale -3 is milli. */
export function roundUpQuantity(q: Quantity, scale: number): Quantity {
  const step = 10n ** BigInt(scale + 9);
  if (step <= 1n) return q;
  return { nanos: divideRoundingUp(q.nanos, step) * step, format: q.format };
}

/** resource.MaxMilliValue: the largest value whose milli-units fit an int64. */
export const MAX_MILLI_VALUE = (2n ** 63n - 1n) / 1000n;

/** The value in milli-units, rounded up, as Quantity.MilliValue (CPU: millicores). */
export function quantityMillis(q: Quantity): bigint {
  return divideRoundingUp(q.nanos, 1_000_000n);
}

/** The value in whole units, rounded up, as Quantity.Value (memory: bytes). */
export function quantityValue(q: Quantity): bigint {
  return divideRoundingUp(q.nanos, NANOS_PER_UNIT);
}

/** A parse that reports failure instead of throwing, for validation. */
export function tryParseQuantity(input: unknown): Quantity | QuantityParseError {
  if (typeof input !== 'string' && typeof input !== 'number') {
    return new QuantityParseError(QUANTITY_FORMAT_MESSAGE, String(input));
  }
  try {
    return parseQuantity(input);
  } catch (err) {
    if (err instanceof QuantityParseError) return err;
    throw err;
  }
}
