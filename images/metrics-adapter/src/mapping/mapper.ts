/**
 * Maps raw source samples to metric families through the compiled rules. Pure apart from two bounded
 * memories: a resolution cache (everything that depends only on the source name — rule, exported
 * name, type, rule labels — is worked out once per name, since the same names come back every
 * scrape) and the type ledger, which remembers each exported name's type for the life of the process
 * so a name that changes type between scrapes is dropped (`type_changed`) instead of confusing
 * Prometheus.
 *
 * Within one scrape, the first sample to claim a name fixes the family's type and label names; later
 * samples that disagree are dropped and counted, never exported half-consistent.
 */
import type { CompiledRule } from '../rules/compile.js';
import type { MetricType, RuleSpec } from '../rules/rule.js';
import { expandTemplate } from '../rules/template.js';
import { countReason, type RawSample, type RawValue } from '../source/sample.js';
import { parseNumber } from '../source/value.js';
import { type DropReason, type MetricFamily, seriesKey } from './family.js';
import { exportedName, inferType, isValidLabelName, isValidMetricName, sanitizeName } from './metric-name.js';

export interface MapperOptions {
  readonly rules: readonly CompiledRule[];
  readonly prefix: string;
  readonly unmapped: 'keep' | 'drop';
  /** Names the adapter exports about itself; a sample mapped onto one is dropped. */
  readonly reserved: ReadonlySet<string>;
}

export interface MapResult {
  readonly families: MetricFamily[];
  readonly dropped: Map<DropReason, number>;
  /** Samples no rule matched (exported or not, per `unmapped`). */
  readonly unmatched: number;
  readonly exported: number;
}

/** What a source name maps to, independent of the sample's labels and value. */
type Resolution =
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
    };

/** The per-series work for one text-format head, reused while the same head comes back. */
interface Prepared {
  readonly res: Resolution & { drop?: undefined };
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly key: string;
  readonly signature: string;
}

interface FamilyBuild {
  readonly family: MetricFamily;
  readonly labelSignature: string;
  readonly seriesKeys: Set<string>;
}

const RESOLUTION_CACHE_LIMIT = 100_000;
const PREPARED_CACHE_LIMIT = 200_000;
const LEDGER_LIMIT = 100_000;

export class Mapper {
  readonly #opts: MapperOptions;
  readonly #resolved = new Map<string, Resolution>();
  readonly #prepared = new Map<string, Prepared | 'invalid_label'>();
  readonly #typeLedger = new Map<string, MetricType>();

  constructor(opts: MapperOptions) {
    this.#opts = opts;
  }

  /**
   * True when `head` was fully parsed and prepared before, so the parser may send only the value.
   * Caches are trimmed only at the start of map(), never between the parser asking this and map().
   */
  readonly knowsHead = (head: string): boolean => {
    const p = this.#prepared.get(head);
    return p !== undefined && p !== 'invalid_label';
  };

  map(samples: readonly RawSample[]): MapResult {
    if (this.#resolved.size >= RESOLUTION_CACHE_LIMIT) this.#resolved.clear();
    if (this.#prepared.size >= PREPARED_CACHE_LIMIT) this.#prepared.clear();
    const dropped = new Map<DropReason, number>();
    const builds = new Map<string, FamilyBuild>();
    let unmatched = 0;
    let exported = 0;
    for (const sample of samples) {
      const cached = sample.head === undefined ? undefined : this.#prepared.get(sample.head);
      const res =
        cached !== undefined && cached !== 'invalid_label' ? cached.res : this.#resolve(sample.name);
      if (!res.matched) unmatched++;
      const reason = res.drop ?? this.#add(sample, res, builds);
      if (reason) countReason(dropped, reason);
      else exported++;
    }
    return { families: [...builds.values()].map((b) => b.family), dropped, unmatched, exported };
  }

  #resolve(sourceName: string): Resolution {
    let res = this.#resolved.get(sourceName);
    if (res) return res;
    // Cached strings are copied so they do not keep the whole source body they were sliced from alive.
    const name = detach(sourceName);
    res = this.#computeResolution(name);
    this.#resolved.set(name, res);
    return res;
  }

  #computeResolution(sourceName: string): Resolution {
    for (const rule of this.#opts.rules) {
      const captures = rule.matcher.match(sourceName);
      if (!captures) continue;
      const spec = rule.spec;
      if (spec.action === 'drop') return { drop: 'rule_drop', matched: true };
      const base = sanitizeName(rule.name ? expandTemplate(rule.name, captures) : sourceName);
      const ruleLabels = rule.labels.map(([k, t]) => [k, expandTemplate(t, captures)] as const);
      return this.#named(base, spec.usePrefix ? this.#opts.prefix : '', spec, sourceName, ruleLabels, true);
    }
    if (this.#opts.unmapped === 'drop') return { drop: 'unmapped_drop', matched: false };
    return this.#named(sanitizeName(sourceName), this.#opts.prefix, undefined, sourceName, [], false);
  }

  #named(
    base: string,
    prefix: string,
    spec: RuleSpec | undefined,
    sourceName: string,
    ruleLabels: ReadonlyArray<readonly [string, string]>,
    matched: boolean,
  ): Resolution {
    const type = spec?.type ?? inferType(prefix + base);
    const name = exportedName(prefix, base, type);
    if (!isValidMetricName(name)) return { drop: 'invalid_name', matched };
    if (this.#opts.reserved.has(name)) return { drop: 'reserved_name', matched };
    const help = spec?.help ?? `Legacy stat ${sourceName}${matched ? '' : ' (no mapping rule)'}.`;
    return { matched, name, type, help, spec, ruleLabels };
  }

  /** Name, labels and rendered key of a sample; cached by text head when the value cannot change them. */
  #prepare(sample: RawSample, res: Resolution & { drop?: undefined }): Prepared | 'invalid_label' {
    const cacheable = sample.head !== undefined && res.spec?.valueLabel === undefined;
    if (cacheable) {
      const hit = this.#prepared.get(sample.head!);
      if (hit) return hit;
    }
    const merged = mergeLabels(sample.labels, res.ruleLabels, res.spec?.valueLabel, sample.value);
    const labels = cacheable ? merged?.map(([k, v]) => [detach(k), detach(v)] as const) : merged;
    let prepared: Prepared | 'invalid_label' = 'invalid_label';
    if (labels !== undefined) {
      let signature = '';
      for (const [k] of labels) signature += `${k},`;
      prepared = { res, labels, key: seriesKey(res.name, labels), signature };
    }
    if (cacheable) this.#prepared.set(detach(sample.head!), prepared);
    return prepared;
  }

  /** Adds one sample to `builds`; returns why it was dropped, or undefined when it was exported. */
  #add(
    sample: RawSample,
    res: Resolution & { drop?: undefined },
    builds: Map<string, FamilyBuild>,
  ): DropReason | undefined {
    const prepared = this.#prepare(sample, res);
    if (prepared === 'invalid_label') return 'invalid_label';
    const { name, type, spec } = res;
    let value: number | undefined;
    if (spec?.valueLabel) value = 1;
    else {
      value = toNumber(sample.value, spec?.values);
      if (value === undefined) return 'non_numeric';
    }
    if (type === 'counter' && !(value >= 0)) return 'invalid_counter_value';

    let build = builds.get(name);
    if (!build) {
      const ledgerType = this.#typeLedger.get(name);
      if (ledgerType !== undefined && ledgerType !== type) return 'type_changed';
      build = {
        family: { name, type, help: res.help, series: [] },
        labelSignature: prepared.signature,
        seriesKeys: new Set(),
      };
      builds.set(name, build);
      if (ledgerType === undefined && this.#typeLedger.size < LEDGER_LIMIT) this.#typeLedger.set(name, type);
    } else {
      if (build.family.type !== type) return 'type_conflict';
      if (build.labelSignature !== prepared.signature) return 'label_conflict';
    }
    if (build.seriesKeys.has(prepared.key)) return 'duplicate_series';
    build.seriesKeys.add(prepared.key);
    build.family.series.push({ labels: prepared.labels, value, key: prepared.key });
    return undefined;
  }
}

/**
 * Source labels, then rule labels over them, then the value label; empty values removed; sorted by
 * name. Returns undefined when a source label name is not valid for Prometheus. The common cases
 * (no rule labels, labels already sorted) allocate nothing beyond the result.
 */
function mergeLabels(
  source: ReadonlyArray<readonly [string, string]>,
  rule: ReadonlyArray<readonly [string, string]>,
  valueLabel: string | undefined,
  rawValue: RawValue,
): ReadonlyArray<readonly [string, string]> | undefined {
  for (const [k] of source) if (!isValidLabelName(k)) return undefined;
  let merged: Array<readonly [string, string]>;
  if (rule.length === 0 && valueLabel === undefined) {
    if (source.length === 0) return source;
    merged = source.filter(([, v]) => v !== '');
  } else {
    const map = new Map<string, string>(source);
    for (const [k, v] of rule) map.set(k, v);
    if (valueLabel !== undefined) map.set(valueLabel, String(rawValue));
    merged = [...map].filter(([, v]) => v !== '');
  }
  for (let i = 1; i < merged.length; i++) {
    if (merged[i - 1]![0] >= merged[i]![0]) {
      merged.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      break;
    }
  }
  return merged;
}

/**
 * A copy of `s` that shares no memory with the string it was sliced from. V8 keeps a sliced string's
 * parent alive; a cache key sliced from a 4 MiB body would otherwise pin that body for good.
 */
function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

/** A raw value as a number: value map first (exact, then case-insensitive), then number syntax. */
export function toNumber(raw: RawValue, values: ReadonlyMap<string, number> | undefined): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (values) {
    const exact = values.get(raw);
    if (exact !== undefined) return exact;
    const lower = raw.toLowerCase();
    for (const [state, n] of values) if (state.toLowerCase() === lower) return n;
  }
  return parseNumber(raw);
}
