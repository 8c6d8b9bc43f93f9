/**
 * Metric naming rules shared by the rule checker and the mapper, so what is refused at start and what
 * is produced at scrape time can never disagree.
 */
import type { MetricType } from '../rules/rule.js';

const VALID_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const VALID_LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return VALID_NAME.test(name);
}

export function isValidLabelName(name: string): boolean {
  return VALID_LABEL.test(name) && !name.startsWith('__');
}

/** statsd_exporter's rule for unmapped names: every character outside [A-Za-z0-9_:] becomes `_`. */
export function sanitizeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_:]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

/** The type a sample gets when its rule does not say: `_total` means counter, anything else gauge. */
export function inferType(name: string): MetricType {
  return name.endsWith('_total') ? 'counter' : 'gauge';
}

/**
 * The exported name. Counters always end in `_total` (appended if missing, as client_python does) so
 * the series has the same name whether Prometheus scrapes the text format or OpenMetrics, where a
 * counter's sample is `<family>_total`.
 */
export function exportedName(prefix: string, base: string, type: MetricType): string {
  const name = prefix + base;
  return type === 'counter' && !name.endsWith('_total') ? `${name}_total` : name;
}

/** The OpenMetrics family name: a counter's name without `_total`. */
export function openMetricsFamily(name: string, type: MetricType): string {
  return type === 'counter' ? name.slice(0, -'_total'.length) : name;
}
