/**
 * Numbers as Prometheus reads them: Go's strconv.ParseFloat forms, plus NaN and ±Inf spelled any case.
 * Anything else (`none`, `1.0.3`, `12ms`) is not a number; the mapper may still map it through a
 * rule's `values` table.
 */
import type { RawValue } from './sample.js';

const DECIMAL = /^[+-]?(?:\d+(?:_\d+)*\.?\d*(?:_\d+)*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^[+-]?0[xX][0-9a-fA-F]+$/;

/** Returns the number `text` spells, or undefined. Surrounding whitespace is ignored. */
export function parseNumber(text: string): number | undefined {
  // Hot path (every sample of every scrape): skip trim and lower-casing for plain decimals.
  const padded = text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32);
  const t = padded ? text.trim() : text;
  if (t.length === 0 || t.length > 64) return undefined;
  if (DECIMAL.test(t)) return Number(t.includes('_') ? t.replaceAll('_', '') : t);
  const lower = t.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') {
    return Number.POSITIVE_INFINITY;
  }
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  if (HEX.test(t)) {
    const negative = t.startsWith('-');
    const n = Number.parseInt(t.replace(/^[+-]?0[xX]/, ''), 16);
    return negative ? -n : n;
  }
  return undefined;
}

/**
 * Formats a value the way Go's exposition code does: integers without exponent up to 1e21,
 * `NaN`, `+Inf`, `-Inf`. JavaScript's shortest round-trip form is also valid Go float syntax.
 */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** A raw value as a number: value map first (exact, then case-insensitive), then number syntax. */
export function toNumber(raw: RawValue, values: ReadonlyMap<string, number> | undefined): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (values) {
    const exact = values.get(raw);
    if (exact !== undefined) return exact;
    const lower = raw.toLowerCase();
    for (const [state, n] of values) if (state.toLowerCase() === lower) return n;
  }
  return parseNumber(raw);
}
