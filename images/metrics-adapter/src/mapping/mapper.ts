/**
 * Maps raw source samples to metric families through the compiled rules. Pure apart from two bounded
 * memories: a match cache (source names repeat every scrape, so rule lookup is paid once per name) and
 * the type ledger, which remembers each exported name's type for the life of the process so a name
 * that changes type between scrapes is dropped (`type_changed`) instead of confusing Prometheus.
 *
 * Within one scrape, the first sample to claim a name fixes the family's type and label names; later
 * samples that disagree are dropped and counted, never exported half-consistent.
 */
import type { CompiledRule } from '../rules/compile.js';
import type { Captures, MetricType } from '../rules/rule.js';
import { expandTemplate } from '../rules/template.js';
import { countReason, type RawSample, type RawValue } from '../source/sample.js';
import { parseNumber } from '../source/value.js';
import type { DropReason, MetricFamily } from './family.js';
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

interface RuleHit {
  readonly rule: CompiledRule | undefined;
  readonly captures: Captures | undefined;
}

interface FamilyBuild {
  readonly family: MetricFamily;
  readonly labelSignature: string;
  readonly seriesKeys: Set<string>;
}

const MATCH_CACHE_LIMIT = 100_000;
const LEDGER_LIMIT = 100_000;
const NO_MATCH: RuleHit = { rule: undefined, captures: undefined };

export class Mapper {
  readonly #opts: MapperOptions;
  readonly #matchCache = new Map<string, RuleHit>();
  readonly #typeLedger = new Map<string, MetricType>();

  constructor(opts: MapperOptions) {
    this.#opts = opts;
  }

  map(samples: readonly RawSample[]): MapResult {
    const dropped = new Map<DropReason, number>();
    const builds = new Map<string, FamilyBuild>();
    let unmatched = 0;
    let exported = 0;
    for (const sample of samples) {
      const hit = this.#findRule(sample.name);
      if (!hit.rule) unmatched++;
      const reason = this.#mapOne(sample, hit, builds);
      if (reason) countReason(dropped, reason);
      else exported++;
    }
    return { families: [...builds.values()].map((b) => b.family), dropped, unmatched, exported };
  }

  #findRule(name: string): RuleHit {
    const cached = this.#matchCache.get(name);
    if (cached) return cached;
    let hit = NO_MATCH;
    for (const rule of this.#opts.rules) {
      const captures = rule.matcher.match(name);
      if (captures) {
        hit = { rule, captures };
        break;
      }
    }
    if (this.#matchCache.size >= MATCH_CACHE_LIMIT) this.#matchCache.clear();
    this.#matchCache.set(name, hit);
    return hit;
  }

  /** Adds one sample to `builds`; returns why it was dropped, or undefined when it was exported. */
  #mapOne(sample: RawSample, hit: RuleHit, builds: Map<string, FamilyBuild>): DropReason | undefined {
    const { rule, captures } = hit;
    const spec = rule?.spec;
    if (spec?.action === 'drop') return 'rule_drop';
    if (!rule && this.#opts.unmapped === 'drop') return 'unmapped_drop';
    const base =
      rule?.name && captures ? sanitizeName(expandTemplate(rule.name, captures)) : sanitizeName(sample.name);
    const prefix = spec && !spec.usePrefix ? '' : this.#opts.prefix;
    const type = spec?.type ?? inferType(prefix + base);
    const name = exportedName(prefix, base, type);
    if (!isValidMetricName(name)) return 'invalid_name';
    if (this.#opts.reserved.has(name)) return 'reserved_name';

    const labels = new Map<string, string>();
    for (const [k, v] of sample.labels) {
      if (!isValidLabelName(k)) return 'invalid_label';
      labels.set(k, v);
    }
    if (rule && captures) for (const [k, t] of rule.labels) labels.set(k, expandTemplate(t, captures));
    let value: number | undefined;
    if (spec?.valueLabel) {
      labels.set(spec.valueLabel, String(sample.value));
      value = 1;
    } else {
      value = toNumber(sample.value, spec?.values);
      if (value === undefined) return 'non_numeric';
    }
    if (type === 'counter' && !(value >= 0)) return 'invalid_counter_value';
    const sorted = [...labels].filter(([, v]) => v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const signature = sorted.map(([k]) => k).join(',');

    let build = builds.get(name);
    if (!build) {
      const ledgerType = this.#typeLedger.get(name);
      if (ledgerType !== undefined && ledgerType !== type) return 'type_changed';
      const help = spec?.help ?? `Legacy stat ${sample.name}${rule ? '' : ' (no mapping rule)'}.`;
      build = { family: { name, type, help, series: [] }, labelSignature: signature, seriesKeys: new Set() };
      builds.set(name, build);
      if (ledgerType === undefined && this.#typeLedger.size < LEDGER_LIMIT) this.#typeLedger.set(name, type);
    } else {
      if (build.family.type !== type) return 'type_conflict';
      if (build.labelSignature !== signature) return 'label_conflict';
    }
    const seriesKey = sorted.map(([k, v]) => `${k}\u0000${v}`).join('\u0001');
    if (build.seriesKeys.has(seriesKey)) return 'duplicate_series';
    build.seriesKeys.add(seriesKey);
    build.family.series.push({ labels: sorted, value });
    return undefined;
  }
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
