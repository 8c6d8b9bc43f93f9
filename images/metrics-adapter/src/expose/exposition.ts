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

export function escapeHelpText(text: string): string {
  return /[\\\n]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : text;
}

export { escapeLabelValue };
