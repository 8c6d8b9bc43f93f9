/**
 * Renders metric families in the two formats Prometheus scrapes:
 * - text 0.0.4: `# HELP`, `# TYPE`, samples; HELP escapes `\\` and `\n`, label values also `\"`.
 * - OpenMetrics 1.0: the same, but a counter's family is named without `_total` (its sample keeps it),
 *   `untyped` has no TYPE line (OpenMetrics `unknown`, which older text parsers such as promtool 2.42
 *   reject), HELP escapes `"` too, and the body ends with `# EOF`.
 * Families arrive already consistent (the mapper guarantees one type and label-name set per name).
 */
import { escapeLabelValue, type MetricFamily } from '../mapping/family.js';
import { openMetricsFamily } from '../mapping/metric-name.js';
import { POW10 } from '../source/decimal.js';
import { formatValue } from '../source/value.js';

export type ExpositionFormat = 'text' | 'openmetrics';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

export function render(families: readonly MetricFamily[], format: ExpositionFormat): string {
  return format === 'text' ? renderText(families) : renderOpenMetrics(families);
}

export function renderText(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelpText(f.help)}\n# TYPE ${f.name} ${f.type}\n`);
    for (const s of f.series) out.push(`${s.key} ${formatValue(s.value)}\n`);
  }
  return out.join('');
}

export function renderOpenMetrics(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    const family = openMetricsFamily(f.name, f.type);
    out.push(`# HELP ${family} ${escapeLabelValue(f.help)}\n`);
    if (f.type !== 'untyped') out.push(`# TYPE ${family} ${f.type}\n`);
    for (const s of f.series) out.push(`${s.key} ${formatValue(s.value)}\n`);
  }
  out.push('# EOF\n');
  return out.join('');
}

/** A family's `# HELP` and `# TYPE` lines, as render() writes them. */
function familyHeader(f: MetricFamily, format: ExpositionFormat): string {
  if (format === 'text') return `# HELP ${f.name} ${escapeHelpText(f.help)}\n# TYPE ${f.name} ${f.type}\n`;
  const family = openMetricsFamily(f.name, f.type);
  const type = f.type === 'untyped' ? '' : `# TYPE ${family} ${f.type}\n`;
  return `# HELP ${family} ${escapeLabelValue(f.help)}\n${type}`;
}

/** Rendered sizes of the last bodies, so the next one usually fits its first buffer. */
const lastSize: Record<ExpositionFormat, number> = { text: 64 * 1024, openmetrics: 64 * 1024 };

/**
 * The same bytes as `Buffer.from(render(families, format))`, written straight into one buffer: no
 * per-series strings and no body-sized string to encode again when the response is sent.
 */
export function renderBuffer(families: readonly MetricFamily[], format: ExpositionFormat): Buffer {
  const out = new ByteWriter(lastSize[format]);
  for (const f of families) {
    // Header lines are encoded once per family the mapper keeps (thousands of one-series families
    // would otherwise build and encode thousands of strings per scrape).
    const cache = f.headers;
    let header = cache?.[format];
    if (header === undefined) {
      header = Buffer.from(familyHeader(f, format), 'utf8');
      if (cache !== undefined) cache[format] = header;
    }
    out.bytes(header);
    const series = f.series;
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      if (s.prefix !== undefined) out.bytes(s.prefix);
      else {
        out.ascii(s.key);
        out.byte(32);
      }
      if (s.text !== undefined) out.ascii(s.text);
      else if (s.scale !== undefined && s.scale >= 0) out.decimal(s.mantissa!, s.scale);
      else out.ascii(formatValue(s.value));
      out.byte(10);
    }
  }
  if (format === 'openmetrics') out.ascii('# EOF\n');
  const body = out.done();
  lastSize[format] = body.length + (body.length >> 3) + 1024;
  return body;
}

/** A growable byte buffer with an ASCII fast path (UTF-8 for anything else, as Buffer.from does). */
class ByteWriter {
  #buf: Buffer;
  #off = 0;
  constructor(size: number) {
    this.#buf = Buffer.allocUnsafe(size);
  }
  #room(n: number): void {
    if (this.#off + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#off + n));
    this.#buf.copy(next, 0, 0, this.#off);
    this.#buf = next;
  }
  byte(b: number): void {
    this.#room(1);
    this.#buf[this.#off++] = b;
  }
  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.#off);
    this.#off += b.length;
  }
  ascii(s: string): void {
    const n = s.length;
    this.#room(n * 3);
    const buf = this.#buf;
    let off = this.#off;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        // Split before the first non-ASCII unit (never inside a surrogate pair: both halves are >= 128).
        off += buf.write(s.slice(i), off, 'utf8');
        break;
      }
      buf[off++] = c;
    }
    this.#off = off;
  }
  /** Writes mantissa / 10^scale in fixed notation (see Decimal in source/decimal.ts). */
  decimal(mantissa: number, scale: number): void {
    this.#room(48);
    let m = mantissa;
    if (m < 0) {
      this.#buf[this.#off++] = 45; /* - */
      m = -m;
    }
    if (scale === 0) {
      this.#digits(m, 1);
      return;
    }
    const unit = POW10[scale]!;
    // Exact: m < 10^15, so the quotient cannot round up to the next integer.
    const whole = Math.floor(m / unit);
    this.#digits(whole, 1);
    this.#buf[this.#off++] = 46; /* . */
    this.#digits(m - whole * unit, scale);
  }
  /** A non-negative integer below 2^53, zero-padded to at least `width` digits. */
  #digits(n: number, width: number): void {
    let count = 1;
    while (count < 22 && n >= POW10[count]!) count++;
    if (count < width) count = width;
    const buf = this.#buf;
    let at = this.#off + count;
    this.#off = at;
    for (let i = 0; i < count; i++) {
      const q = Math.floor(n / 10);
      buf[--at] = 48 + (n - q * 10);
      n = q;
    }
  }
  done(): Buffer {
    return this.#buf.subarray(0, this.#off);
  }
}

export function escapeHelpText(text: string): string {
  return /[\\\n]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : text;
}

export { escapeLabelValue };
