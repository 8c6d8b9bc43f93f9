/**
 * What the source parsers hand to the mapper: one line (or JSON leaf) of the legacy stats, not yet
 * named, typed or validated as a Prometheus sample.
 */

/** A raw value: text from a stats line, or a JSON scalar. Numbers are decided by the mapper. */
export type RawValue = string | number | boolean;

export interface RawSample {
  /** The source's own name, e.g. `requests_total`, `cache.hits`, `db_pool_active` (flattened JSON). */
  readonly name: string;
  /** Labels written in the source (`name{k="v"} value`), in source order. */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly value: RawValue;
  /**
   * Text-format only: the line up to where the value starts (`http{code="200"} `). Equal heads mean
   * equal name and labels, so the mapper caches its per-series work under it across scrapes.
   */
  readonly head?: string;
  /**
   * Text-format only: what the parser's `isKnownHead` returned for `head` (the mapper's cached work for
   * it), so the mapper need not look the head up again. Set only on samples parsed for their value only.
   */
  readonly known?: unknown;
}

/**
 * A line head the mapper prepared before (its cached work), as the text parser may be told to expect
 * it: `position` is where the mapper last met it in the sequence of known heads it hands the parser.
 */
export interface KnownHead {
  readonly head: string;
  readonly position: number;
}

/** Why a line of the source could not be read; label values of `<prefix>unparsed_lines_total`. */
export const UNPARSED_REASONS = ['syntax', 'bad_labels', 'no_value', 'line_too_long', 'null_value'] as const;
export type UnparsedReason = (typeof UNPARSED_REASONS)[number];

export interface ParsedSource {
  readonly format: 'text' | 'json';
  readonly samples: RawSample[];
  /** Lines (or JSON leaves) skipped, by reason. */
  readonly unparsed: Map<UnparsedReason, number>;
  /** Set when the body as a whole is unusable (invalid JSON, binary); then `samples` is empty. */
  readonly fatal?: string;
}

export function countReason<K>(counts: Map<K, number>, reason: K, by = 1): void {
  counts.set(reason, (counts.get(reason) ?? 0) + by);
}
