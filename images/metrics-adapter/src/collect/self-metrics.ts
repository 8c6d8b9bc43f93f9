/**
 * The adapter's metrics about itself and its source. This module owns their names (so the rule checker
 * can reserve them) and the cumulative counters. Every reason label is exported from the first scrape
 * with 0, so `rate(...{reason="timeout"}[5m])` alerts work before the first failure.
 */
import { SOURCE_ERROR_REASONS } from '../errors.js';
import {
  DROP_REASONS,
  type DropReason,
  type MetricFamily,
  makeSeries,
  type Series,
} from '../mapping/family.js';
import { UNPARSED_REASONS, type UnparsedReason } from '../source/sample.js';

/** Source failures: the fetch errors plus `unparsable` (a body that yields no sample at all). */
export const SOURCE_FAILURE_REASONS = [...SOURCE_ERROR_REASONS, 'unparsable'] as const;
export type SourceFailureReason = (typeof SOURCE_FAILURE_REASONS)[number];

const SUFFIXES = {
  up: 'up',
  duration: 'scrape_duration_seconds',
  samples: 'scrape_samples',
  lastSuccess: 'last_success_timestamp_seconds',
  unparsedNow: 'scrape_unparsed_lines',
  unparsedTotal: 'unparsed_lines_total',
  droppedTotal: 'dropped_samples_total',
  errorsTotal: 'source_errors_total',
  unmatched: 'scrape_unmapped_samples',
  fetchesTotal: 'source_fetches_total',
} as const;

/** The self-metric prefix: the metric prefix, or `metrics_adapter_` when that is empty (bare `up` is Prometheus's). */
export function selfPrefixFor(prefix: string): string {
  return prefix === '' ? 'metrics_adapter_' : prefix;
}

export function reservedNames(selfPrefix: string): Set<string> {
  return new Set(Object.values(SUFFIXES).map((s) => selfPrefix + s));
}

/** What one fetch of the source produced; input to SelfMetrics.record. */
export interface FetchOutcome {
  readonly up: boolean;
  readonly durationSeconds: number;
  readonly exported: number;
  readonly failure?: SourceFailureReason;
  readonly unparsed: ReadonlyMap<UnparsedReason, number>;
  readonly dropped: ReadonlyMap<DropReason, number>;
  readonly unmatched: number;
  /** Unix seconds at which the fetch finished. */
  readonly finishedAt: number;
}

export class SelfMetrics {
  readonly #p: string;
  readonly #unparsedTotal = zeroes(UNPARSED_REASONS);
  readonly #droppedTotal = zeroes(DROP_REASONS);
  readonly #errorsTotal = zeroes(SOURCE_FAILURE_REASONS);
  #fetches = 0;
  #lastSuccess = 0;

  constructor(selfPrefix: string) {
    this.#p = selfPrefix;
  }

  /** Adds one fetch to the counters and returns the self-metric families describing it. */
  record(o: FetchOutcome): MetricFamily[] {
    this.#fetches++;
    for (const [r, n] of o.unparsed) this.#unparsedTotal.set(r, (this.#unparsedTotal.get(r) ?? 0) + n);
    for (const [r, n] of o.dropped) this.#droppedTotal.set(r, (this.#droppedTotal.get(r) ?? 0) + n);
    if (o.failure) this.#errorsTotal.set(o.failure, (this.#errorsTotal.get(o.failure) ?? 0) + 1);
    if (o.up) this.#lastSuccess = o.finishedAt;
    const p = this.#p;
    return [
      single(
        p + SUFFIXES.up,
        'gauge',
        '1 if the last fetch of the legacy source succeeded and parsed, else 0.',
        o.up ? 1 : 0,
      ),
      single(
        p + SUFFIXES.duration,
        'gauge',
        'Seconds the last fetch, parse and mapping of the source took.',
        o.durationSeconds,
      ),
      single(
        p + SUFFIXES.samples,
        'gauge',
        'Samples exported from the last fetch of the source.',
        o.exported,
      ),
      single(
        p + SUFFIXES.lastSuccess,
        'gauge',
        'Unix time of the last successful fetch; 0 if none yet.',
        this.#lastSuccess,
      ),
      single(
        p + SUFFIXES.unmatched,
        'gauge',
        'Samples of the last fetch that no mapping rule matched.',
        o.unmatched,
      ),
      byReason(
        p + SUFFIXES.unparsedNow,
        'gauge',
        'Source lines the last fetch could not parse, by reason.',
        zeroes(UNPARSED_REASONS, o.unparsed),
      ),
      byReason(
        p + SUFFIXES.unparsedTotal,
        'counter',
        'Source lines that could not be parsed, by reason.',
        this.#unparsedTotal,
      ),
      byReason(
        p + SUFFIXES.droppedTotal,
        'counter',
        'Parsed samples not exported, by reason.',
        this.#droppedTotal,
      ),
      byReason(
        p + SUFFIXES.errorsTotal,
        'counter',
        'Fetches of the source that failed, by reason.',
        this.#errorsTotal,
      ),
      single(p + SUFFIXES.fetchesTotal, 'counter', 'Fetches of the source attempted.', this.#fetches),
    ];
  }
}

function zeroes<K extends string>(keys: readonly K[], from?: ReadonlyMap<K, number>): Map<K, number> {
  return new Map(keys.map((k) => [k, from?.get(k) ?? 0]));
}

function single(name: string, type: 'gauge' | 'counter', help: string, value: number): MetricFamily {
  return { name, type, help, series: [makeSeries(name, [], value)] };
}

function byReason(
  name: string,
  type: 'gauge' | 'counter',
  help: string,
  counts: ReadonlyMap<string, number>,
): MetricFamily {
  const series: Series[] = [...counts].map(([reason, value]) =>
    makeSeries(name, [['reason', reason]], value),
  );
  return { name, type, help, series };
}
