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

/** Rendered sizes of the last bodies, so the next one usually fits its first buffer. */
const lastSize: Record<ExpositionFormat, number> = { text: 64 * 1024, openmetrics: 64 * 1024 };

/**
 * The same bytes as `Buffer.from(render(families, format))`, written straight into one buffer: no
 * per-series strings and no body-sized string to encode again when the response is sent.
 */
export function renderBuffer(families: readonly MetricFamily[], format: ExpositionFormat): Buffer {
  const out = new ByteWriter(lastSize[format]);
  const openMetrics = format === 'openmetrics';
  for (const f of families) {
    if (openMetrics) {
      const family = openMetricsFamily(f.name, f.type);
      out.ascii(`# HELP ${family} ${escapeLabelValue(f.help)}\n`);
      if (f.type !== 'untyped') out.ascii(`# TYPE ${family} ${f.type}\n`);
    } else {
      out.ascii(`# HELP ${f.name} ${escapeHelpText(f.help)}\n# TYPE ${f.name} ${f.type}\n`);
    }
    const series = f.series;
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      if (s.prefix !== undefined) out.bytes(s.prefix);
      else {
        out.ascii(s.key);
        out.byte(32);
      }
      out.ascii(s.text ?? formatValue(s.value));
      out.byte(10);
    }
  }
  if (openMetrics) out.ascii('# EOF\n');
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
  done(): Buffer {
    return this.#buf.subarray(0, this.#off);
  }
}

export function escapeHelpText(text: string): string {
  return /[\\\n]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : text;
}

export { escapeLabelValue };
