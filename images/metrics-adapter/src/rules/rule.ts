/**
 * The mapping-rule model: what a rules file says (RuleSpec, validated) and what the mapper runs
 * (CompiledRule). Rules are tried in file order; the first match wins, as in statsd_exporter.
 */

export type MetricType = 'counter' | 'gauge' | 'untyped';
export const METRIC_TYPES: readonly MetricType[] = ['counter', 'gauge', 'untyped'];
export type MatchType = 'exact' | 'glob' | 'regex';
export const MATCH_TYPES: readonly MatchType[] = ['exact', 'glob', 'regex'];

export interface RuleSpec {
  /** `mappings[i]`, used in every message about this rule. */
  readonly where: string;
  readonly match: string;
  readonly matchType: MatchType;
  readonly action: 'map' | 'drop';
  /** Output name template (`$1`, `${1}`, `${name}`); absent = the sanitised source name. */
  readonly name?: string;
  /** Whether the global prefix applies to this rule's output (default true). */
  readonly usePrefix: boolean;
  readonly type?: MetricType;
  readonly help?: string;
  /** Label name -> value template. Applied over the source's own labels. */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  /** String state -> number (`OK: 0`). Matched exactly, then case-insensitively. */
  readonly values?: ReadonlyMap<string, number>;
  /** Puts the raw value into this label and exports 1 (info-style, e.g. `version 1.0.3`). */
  readonly valueLabel?: string;
}

export interface RuleSet {
  readonly prefix: string;
  /** What to do with samples no rule matches. */
  readonly unmapped: 'keep' | 'drop';
  readonly rules: readonly RuleSpec[];
}

/** Capture groups of one match: positional (`$1`) and named (`${host}`); `$0` is the whole name. */
export interface Captures {
  readonly positional: readonly string[];
  readonly named: Readonly<Record<string, string>>;
}

export function describeRule(rule: RuleSpec): string {
  return `${rule.where} (match ${JSON.stringify(rule.match)})`;
}
