/** The mapper's output: metric families ready to expose, in the order the source first named them. */
import type { MetricType } from '../rules/rule.js';

export interface Series {
  /** Sorted by label name; no empty values (Prometheus treats empty as absent). */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly value: number;
  /**
   * The sample as rendered before its value, `name{k="v"}`, escaped. Both formats print it unchanged
   * (a counter keeps `_total` in OpenMetrics samples), so it is built once per series, and it doubles
   * as the series identity for duplicate detection.
   */
  readonly key: string;
  /** Optional, set by the mapper for series it has seen before: `key` and a space, UTF-8 encoded. */
  readonly prefix?: Uint8Array;
  /** Optional: `formatValue(value)`, when the mapper has it already. */
  readonly text?: string;
  /**
   * Optional, used when `text` is undefined and `scale >= 0`: `value` read from the source as a plain
   * decimal (source/decimal.ts), which prints as `formatValue(value)` with no string made.
   */
  readonly mantissa?: number;
  readonly scale?: number;
}

/** Builds a Series; `labels` must already be sorted and free of empty values. */
export function makeSeries(
  name: string,
  labels: ReadonlyArray<readonly [string, string]>,
  value: number,
): Series {
  return { labels, value, key: seriesKey(name, labels) };
}

export function seriesKey(name: string, labels: ReadonlyArray<readonly [string, string]>): string {
  if (labels.length === 0) return name;
  let out = `${name}{`;
  for (let i = 0; i < labels.length; i++) {
    const [k, v] = labels[i]!;
    out += `${i === 0 ? '' : ','}${k}="${escapeLabelValue(v)}"`;
  }
  return `${out}}`;
}

/** Label values and OpenMetrics HELP escape `\\`, `\n` and `"`. */
export function escapeLabelValue(text: string): string {
  return /[\\\n"]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : text;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly series: Series[];
  /** Optional: where the renderer keeps this family's encoded HELP/TYPE lines (same name, type, help). */
  readonly headers?: FamilyHeaders | undefined;
}

/** Encoded header lines per format, filled by the renderer on first use. */
export interface FamilyHeaders {
  text?: Uint8Array;
  openmetrics?: Uint8Array;
}

/** Why a parsed sample was not exported; label values of `<prefix>dropped_samples_total`. */
export const DROP_REASONS = [
  'non_numeric',
  'invalid_name',
  'invalid_label',
  'invalid_counter_value',
  'duplicate_series',
  'type_conflict',
  'label_conflict',
  'type_changed',
  'reserved_name',
  'rule_drop',
  'unmapped_drop',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];
