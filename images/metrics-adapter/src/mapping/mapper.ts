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
 *
 * A series that comes back scrape after scrape (a text-format head seen before) is one stable object,
 * its cached work (`Prepared`), which is also the `Series` the families hold: a scrape only rewrites
 * its value, so the snapshot a scrape leaves behind is not 10,000 fresh objects for the garbage
 * collector to copy and promote. The contract that follows: the families of one map() are valid
 * until the next map() (the collector renders a snapshot before it fetches again).
 */
import type { CompiledRule } from '../rules/compile.js';
import type { MetricType, RuleSpec } from '../rules/rule.js';
import { expandTemplate } from '../rules/template.js';
import { type Decimal, readDecimal } from '../source/decimal.js';
import {
  countReason,
  type KnownHead,
  type RawSample,
  type RawValue,
  type UnparsedReason,
} from '../source/sample.js';
import { scanTextBody, type TextSink } from '../source/text-scanner.js';
import { formatValue, toNumber } from '../source/value.js';
import { type DropReason, type MetricFamily, seriesKey } from './family.js';
import { FamilyBuilds } from './family-builds.js';
import type { Prepared, Resolution, SeriesToken } from './mapper-types.js';
import { detach, mergeLabels } from './merge-labels.js';
import { exportedName, inferType, isValidMetricName, sanitizeName } from './metric-name.js';

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

/** mapText's result: the mapping plus what the scan of the body found. */
export interface TextMapResult extends MapResult {
  /** Lines that held a sample (exported or dropped). */
  readonly samples: number;
  readonly unparsed: Map<UnparsedReason, number>;
}

const RESOLUTION_CACHE_LIMIT = 100_000;
const PREPARED_CACHE_LIMIT = 200_000;
const LEDGER_LIMIT = 100_000;

export { toNumber };

export class Mapper {
  readonly #opts: MapperOptions;
  readonly #resolved = new Map<string, Resolution>();
  readonly #prepared = new Map<string, Prepared | 'invalid_label'>();
  readonly #typeLedger = new Map<string, MetricType>();
  /** One token per series key, so a duplicate is one field compare instead of a per-scrape Set. */
  readonly #tokens = new Map<string, SeriesToken>();
  #tokenGeneration = 0;
  #epoch = 0;
  /** Cached heads in the order the last finished scrape met them. */
  #order: Prepared[] = [];
  // The scrape being mapped (between #begin and #finish). What is refilled every scrape reuses its
  // storage (the order array from two scrapes ago, the families and their series arrays) instead of
  // growing fresh ones: at 10,000 series that was most of a scrape's garbage.
  #nextOrder: Prepared[] = [];
  #nextCount = 0;
  readonly #families = new FamilyBuilds();
  #dropped = new Map<DropReason, number>();
  #unmatched = 0;
  #exported = 0;
  /** Scratch for readDecimal: copied into the series only once it is placed (duplicates are not). */
  readonly #decimal: Decimal = { value: 0, mantissa: 0, scale: 0 };

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

  /** Maps parsed samples (any format). */
  map(samples: readonly RawSample[]): MapResult {
    this.#begin();
    for (const sample of samples) this.#addSample(sample);
    return this.#finish();
  }

  /**
   * Scans a text-format body (UTF-8, no NUL bytes) and maps it in the same pass: a line whose head
   * comes back where the last body had it goes from its bytes to its series with no object made.
   * Gives the same result as `map(parseTextStats(body).samples)`.
   */
  mapText(body: Buffer): TextMapResult {
    this.#begin();
    const scan = scanTextBody(body, this.#sink);
    return { ...this.#finish(), samples: scan.samples, unparsed: scan.unparsed };
  }

  /** The epoch of the last map: families handed out by an earlier one may have been overwritten. */
  get epoch(): number {
    return this.#epoch;
  }

  readonly #sink: TextSink = {
    expected: [],
    lookup: this.lookupHead,
    knownLine: (known, body, valueStart, valueEnd) =>
      this.#addKnownLine(known as Prepared, body, valueStart, valueEnd),
    sample: (sample) => this.#addSample(sample),
  };

  #begin(): void {
    if (this.#resolved.size >= RESOLUTION_CACHE_LIMIT) this.#resolved.clear();
    if (this.#prepared.size >= PREPARED_CACHE_LIMIT) {
      this.#prepared.clear();
      this.#order = [];
      this.#nextOrder = [];
    }
    if (this.#tokens.size >= PREPARED_CACHE_LIMIT) {
      this.#tokens.clear();
      this.#tokenGeneration++;
    }
    this.#epoch++;
    (this.#sink as { expected: readonly KnownHead[] }).expected = this.expectedHeads;
    this.#nextCount = 0;
    this.#families.begin(this.#epoch);
    this.#dropped = new Map();
    this.#unmatched = 0;
    this.#exported = 0;
  }

  #finish(): MapResult {
    const order = this.#nextOrder;
    if (order.length !== this.#nextCount) order.length = this.#nextCount;
    this.#nextOrder = this.#order;
    this.#order = order;
    (this.#sink as { expected: readonly KnownHead[] }).expected = [];
    const families: MetricFamily[] = this.#families.finish();
    return { families, dropped: this.#dropped, unmatched: this.#unmatched, exported: this.#exported };
  }

  #count(reason: DropReason | undefined): void {
    if (reason) countReason(this.#dropped, reason);
    else this.#exported++;
  }

  #addSample(sample: RawSample): void {
    // `known` is this mapper's Prepared when the parser was given lookupHead (knowsHead gives `true`).
    let known = typeof sample.known === 'object' ? (sample.known as Prepared) : undefined;
    if (known === undefined && sample.head !== undefined) {
      const cached = this.#prepared.get(sample.head);
      if (cached !== undefined && cached !== 'invalid_label') known = cached;
    }
    const res = known !== undefined ? known.res : this.#resolve(sample.name);
    if (!res.matched) this.#unmatched++;
    this.#count(res.drop ?? this.#add(sample, res, known));
  }

  /** A known line from the scanner: the value is `body[valueStart, valueEnd)`, ASCII at both ends. */
  #addKnownLine(prepared: Prepared, body: Buffer, valueStart: number, valueEnd: number): void {
    const res = prepared.res;
    if (!res.matched) this.#unmatched++;
    this.#track(prepared);
    // A plain decimal (the usual counter or gauge) goes from bytes to number to output bytes with no
    // string. Values a rule maps by text (`values`) need the text.
    if (res.spec?.values === undefined && readDecimal(body, valueStart, valueEnd, this.#decimal)) {
      this.#count(this.#place(prepared, res, this.#decimal.value, this.#decimal));
      return;
    }
    // The value text usually repeats (gauges at rest, idle counters): compare bytes, decode only news.
    const last = prepared.lastRaw;
    let value: number | undefined;
    if (typeof last === 'string' && sameText(body, valueStart, valueEnd, last)) value = prepared.lastNumber;
    else value = this.#cachedNumber(prepared, body.toString('utf8', valueStart, valueEnd));
    this.#count(value === undefined ? 'non_numeric' : this.#place(prepared, res, value));
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
    return { matched, name, type, help, spec, ruleLabels, slot: { epoch: 0, build: undefined }, headers: {} };
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
        value: 0,
        text: undefined,
        textOf: 0,
        mantissa: 0,
        scale: -1,
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

  /** Adds one sample to this scrape's families; returns why it was dropped, or undefined when exported. */
  #add(
    sample: RawSample,
    res: Resolution & { drop?: undefined },
    known: Prepared | undefined,
  ): DropReason | undefined {
    const prepared = known ?? this.#prepare(sample, res);
    if (prepared === 'invalid_label') return 'invalid_label';
    this.#track(prepared);
    let value: number | undefined;
    if (res.spec?.valueLabel) value = 1;
    else if (prepared.head !== undefined) value = this.#cachedNumber(prepared, sample.value);
    else value = toNumber(sample.value, res.spec?.values);
    if (value === undefined) return 'non_numeric';
    return this.#place(prepared, res, value);
  }

  /** Records where a cacheable series was met, so the next body is expected in the same order. */
  #track(prepared: Prepared): void {
    if (prepared.head === undefined) return;
    prepared.position = this.#nextCount;
    this.#nextOrder[this.#nextCount++] = prepared;
  }

  /** A series' value text often repeats between scrapes; its number depends only on it and the rule. */
  #cachedNumber(prepared: Prepared, raw: RawValue): number | undefined {
    if (raw === prepared.lastRaw) return prepared.lastNumber;
    const value = toNumber(raw, prepared.res.spec?.values);
    prepared.lastRaw = raw;
    prepared.lastNumber = value;
    return value;
  }

  /** Puts a series with its number into its family, or returns why it cannot be exported. */
  #place(
    prepared: Prepared,
    res: Resolution & { drop?: undefined },
    value: number,
    decimal?: Decimal,
  ): DropReason | undefined {
    const { name, type } = res;
    if (type === 'counter' && !(value >= 0)) return 'invalid_counter_value';
    const slot = res.slot;
    let build = slot.epoch === this.#epoch ? slot.build : this.#families.current(name);
    if (!build) {
      const ledgerType = this.#typeLedger.get(name);
      if (ledgerType !== undefined && ledgerType !== type) return 'type_changed';
      build = this.#families.claim(name, type, res.help, res.headers, prepared.signature);
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
      build.family.series[build.count++] = { labels: prepared.labels, value, key: prepared.key };
      return undefined;
    }
    // The stable object is the series: only its value (and, when the number changed, its text) moves.
    prepared.value = value;
    if (decimal !== undefined) {
      prepared.mantissa = decimal.mantissa;
      prepared.scale = decimal.scale;
      prepared.text = undefined;
    } else if (prepared.text === undefined || !Object.is(prepared.textOf, value)) {
      prepared.scale = -1;
      prepared.text = formatValue(value);
      prepared.textOf = value;
    }
    prepared.prefix ??= Buffer.from(`${prepared.key} `, 'utf8');
    build.family.series[build.count++] = prepared;
    return undefined;
  }
}

/** Whether `body[start, end)` holds exactly the characters of `text` (all ASCII, else false). */
function sameText(body: Buffer, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) {
    const b = body[start + i]!;
    // A byte >= 0x80 is part of a multi-byte character, which a single char code must not match.
    if (b >= 128 || b !== text.charCodeAt(i)) return false;
  }
  return true;
}
