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
import { countReason, type KnownHead, type RawSample, type RawValue } from '../source/sample.js';
import { formatValue, parseNumber } from '../source/value.js';
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
      /** The family this name is being built into in scrape `epoch`: saves a lookup per sample. */
      readonly slot: { epoch: number; build: FamilyBuild | undefined };
    };

/** Identity of one series (rendered key) for duplicate detection: `seen` is the last scrape it was in. */
interface SeriesToken {
  seen: number;
}

/** The per-series work for one text-format head, reused while the same head comes back. */
interface Prepared {
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
  /** Cacheable series only: `key ` encoded once for the renderer, and the last raw value, number and text. */
  prefix: Uint8Array | undefined;
  lastRaw: RawValue | undefined;
  lastNumber: number | undefined;
  lastText: string | undefined;
  /** The number `lastText` was formatted from. */
  textOf: number;
}

interface FamilyBuild {
  readonly family: MetricFamily;
  readonly labelSignature: string;
}

const RESOLUTION_CACHE_LIMIT = 100_000;
const PREPARED_CACHE_LIMIT = 200_000;
const LEDGER_LIMIT = 100_000;

export class Mapper {
  readonly #opts: MapperOptions;
  readonly #resolved = new Map<string, Resolution>();
  readonly #prepared = new Map<string, Prepared | 'invalid_label'>();
  readonly #typeLedger = new Map<string, MetricType>();
  /** One token per series key, so a duplicate is one field compare instead of a per-scrape Set. */
  readonly #tokens = new Map<string, SeriesToken>();
  #tokenGeneration = 0;
  #epoch = 0;
  #order: Prepared[] = [];

  constructor(opts: MapperOptions) {
    this.#opts = opts;
  }

  /**
   * True when `head` was fully parsed and prepared before, so the parser may send only the value.
   * Caches are trimmed only at the start of map(), never between the parser asking this and map().
   */
  readonly knowsHead = (head: string): boolean => this.lookupHead(head) !== undefined;

  /** The cached heads in the order the last map() met them; the text parser expects them next time. */
  get expectedHeads(): readonly KnownHead[] {
    return this.#order as ReadonlyArray<Prepared & { head: string }>;
  }

  /** Like knowsHead, but returns the cached work itself; the parser hands it back as `sample.known`. */
  readonly lookupHead = (head: string): object | undefined => {
    const p = this.#prepared.get(head);
    return p === 'invalid_label' ? undefined : p;
  };

  map(samples: readonly RawSample[]): MapResult {
    if (this.#resolved.size >= RESOLUTION_CACHE_LIMIT) this.#resolved.clear();
    if (this.#prepared.size >= PREPARED_CACHE_LIMIT) this.#prepared.clear();
    if (this.#tokens.size >= PREPARED_CACHE_LIMIT) {
      this.#tokens.clear();
      this.#tokenGeneration++;
    }
    this.#epoch++;
    const order: Prepared[] = [];
    const dropped = new Map<DropReason, number>();
    const builds = new Map<string, FamilyBuild>();
    let unmatched = 0;
    let exported = 0;
    for (const sample of samples) {
      // `known` is this mapper's Prepared when the parser was given lookupHead (knowsHead gives `true`).
      let known = typeof sample.known === 'object' ? (sample.known as Prepared) : undefined;
      if (known === undefined && sample.head !== undefined) {
        const cached = this.#prepared.get(sample.head);
        if (cached !== undefined && cached !== 'invalid_label') known = cached;
      }
      const res = known !== undefined ? known.res : this.#resolve(sample.name);
      if (!res.matched) unmatched++;
      const reason = res.drop ?? this.#add(sample, res, builds, known, order);
      if (reason) countReason(dropped, reason);
      else exported++;
    }
    this.#order = order;
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
    return { matched, name, type, help, spec, ruleLabels, slot: { epoch: 0, build: undefined } };
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
      // A cached key is flattened once here; the renderer reads it on every scrape.
      const key = cacheable ? detach(seriesKey(res.name, labels)) : seriesKey(res.name, labels);
      prepared = {
        head: cacheable ? detach(sample.head!) : undefined,
        position: -1,
        res,
        labels,
        key,
        signature,
        token: this.#tokenFor(key),
        generation: this.#tokenGeneration,
        prefix: undefined,
        lastRaw: undefined,
        lastNumber: undefined,
        lastText: undefined,
        textOf: 0,
      };
    }
    if (cacheable)
      this.#prepared.set(typeof prepared === 'object' ? prepared.head! : detach(sample.head!), prepared);
    return prepared;
  }

  #tokenFor(key: string): SeriesToken {
    let token = this.#tokens.get(key);
    if (token === undefined) {
      token = { seen: 0 };
      this.#tokens.set(key, token);
    }
    return token;
  }

  /** Adds one sample to `builds`; returns why it was dropped, or undefined when it was exported. */
  #add(
    sample: RawSample,
    res: Resolution & { drop?: undefined },
    builds: Map<string, FamilyBuild>,
    known: Prepared | undefined,
    order: Prepared[],
  ): DropReason | undefined {
    const prepared = known ?? this.#prepare(sample, res);
    if (prepared === 'invalid_label') return 'invalid_label';
    if (prepared.head !== undefined) {
      prepared.position = order.length;
      order.push(prepared);
    }
    const { name, type, spec } = res;
    let value: number | undefined;
    if (spec?.valueLabel) value = 1;
    else {
      // A series' value text often repeats between scrapes; its number depends only on it and the rule.
      const raw = sample.value;
      if (prepared.head !== undefined && raw === prepared.lastRaw) value = prepared.lastNumber;
      else {
        value = toNumber(raw, spec?.values);
        if (prepared.head !== undefined) {
          prepared.lastRaw = raw;
          prepared.lastNumber = value;
        }
      }
      if (value === undefined) return 'non_numeric';
    }
    if (type === 'counter' && !(value >= 0)) return 'invalid_counter_value';

    const slot = res.slot;
    let build = slot.epoch === this.#epoch ? slot.build : builds.get(name);
    if (!build) {
      const ledgerType = this.#typeLedger.get(name);
      if (ledgerType !== undefined && ledgerType !== type) return 'type_changed';
      build = {
        family: { name, type, help: res.help, series: [] },
        labelSignature: prepared.signature,
      };
      builds.set(name, build);
      if (ledgerType === undefined && this.#typeLedger.size < LEDGER_LIMIT) this.#typeLedger.set(name, type);
    } else {
      if (build.family.type !== type) return 'type_conflict';
      if (build.labelSignature !== prepared.signature) return 'label_conflict';
    }
    slot.epoch = this.#epoch;
    slot.build = build;
    if (prepared.generation !== this.#tokenGeneration) {
      prepared.token = this.#tokenFor(prepared.key);
      prepared.generation = this.#tokenGeneration;
    }
    if (prepared.token.seen === this.#epoch) return 'duplicate_series';
    prepared.token.seen = this.#epoch;
    if (prepared.head === undefined) {
      build.family.series.push({ labels: prepared.labels, value, key: prepared.key });
      return undefined;
    }
    if (prepared.lastText === undefined || !Object.is(prepared.textOf, value)) {
      prepared.lastText = formatValue(value);
      prepared.textOf = value;
    }
    prepared.prefix ??= Buffer.from(`${prepared.key} `, 'utf8');
    build.family.series.push({
      labels: prepared.labels,
      value,
      key: prepared.key,
      prefix: prepared.prefix,
      text: prepared.lastText,
    });
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
