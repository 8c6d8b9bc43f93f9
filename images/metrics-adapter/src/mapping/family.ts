/** The mapper's output: metric families ready to expose, in the order the source first named them. */
import type { MetricType } from '../rules/rule.js';

export interface Series {
  /** Sorted by label name; no empty values (Prometheus treats empty as absent). */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly series: Series[];
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
