/**
 * The mapper's cached, per-name and per-series work. One `Prepared` lives as long as its text-format
 * head keeps coming back, and doubles as the exported `Series` (see Mapper).
 */
import type { MetricType, RuleSpec } from '../rules/rule.js';
import type { RawValue } from '../source/sample.js';
import type { DropReason, FamilyHeaders, Series } from './family.js';
import type { FamilyBuild } from './family-builds.js';

/** What a source name maps to, independent of the sample's labels and value. */
export type Resolution =
  | { readonly drop: DropReason; readonly matched: boolean }
  | {
      readonly drop?: undefined;
      readonly matched: boolean;
      readonly name: string;
      readonly type: MetricType;
      readonly help: string;
      readonly spec: RuleSpec | undefined;
      /** Rule labels with captures expanded. */
      readonly ruleLabels: ReadonlyArray<readonly [string, string]>;
      /** The family this name is being built into in scrape `epoch`: saves a lookup per sample. */
      readonly slot: { epoch: number; build: FamilyBuild | undefined };
      /** The encoded header lines of the family this resolution names (same name, type and HELP). */
      readonly headers: FamilyHeaders;
    };

/** Identity of one series (rendered key) for duplicate detection: `seen` is the last scrape it was in. */
export interface SeriesToken {
  seen: number;
}

/**
 * The per-series work for one text-format head, reused while the same head comes back. When cacheable
 * (`head` set) it is also the series as exported: `value` and `text` are this scrape's.
 */
export interface Prepared extends Series {
  /** The head it is cached under; undefined when not cacheable. */
  readonly head: string | undefined;
  /** Index in the last scrape's known-head sequence (`expectedHeads`). */
  position: number;
  readonly res: Resolution & { drop?: undefined };
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly key: string;
  readonly signature: string;
  /** This series' token, valid while `generation` is the mapper's token generation. */
  token: SeriesToken;
  generation: number;
  /** Cacheable series only: `key ` encoded once for the renderer, and the last raw value and its number. */
  prefix: Uint8Array | undefined;
  lastRaw: RawValue | undefined;
  lastNumber: number | undefined;
  /**
   * Cacheable series only: the value exported this scrape, printed from `mantissa`/`scale` when it
   * was read as a plain decimal (scale >= 0), else from `text` (`formatValue(textOf)`).
   */
  value: number;
  text: string | undefined;
  textOf: number;
  mantissa: number;
  scale: number;
}
