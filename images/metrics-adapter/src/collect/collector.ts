/**
 * Owns the current view of the source. A scrape asks `snapshot()`; the source is fetched at most once
 * per `cacheMs` (concurrent scrapes share one in-flight fetch), so Prometheus sees data at most
 * `cacheMs` old instead of the seed's 30 s loop. When the fetch fails or the body does not parse, the
 * snapshot holds only self metrics with `up` 0: the last good values are never passed off as fresh.
 */
import { SourceError } from '../errors.js';
import { type ExpositionFormat, render, renderBuffer } from '../expose/exposition.js';
import type { Logger } from '../log.js';
import type { MetricFamily } from '../mapping/family.js';
import type { Mapper, MapResult } from '../mapping/mapper.js';
import { parseJsonStats } from '../source/json-parser.js';
import { BINARY_BODY, classifyBody, type SourceFormat } from '../source/parse-body.js';
import type { UnparsedReason } from '../source/sample.js';
import type { SourceReader } from '../source/source-reader.js';
import { type FetchOutcome, SelfMetrics, type SourceFailureReason } from './self-metrics.js';

export interface CollectorDeps {
  readonly reader: SourceReader;
  readonly format: SourceFormat;
  readonly mapper: Mapper;
  readonly selfPrefix: string;
  readonly cacheMs: number;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Milliseconds, monotonic enough for cache ages; tests replace it. */
  readonly now?: () => number;
}

/**
 * One fetch's result, rendered lazily per format and then reused until the cache expires. Its
 * families hold the mapper's stable series objects, whose values the next fetch overwrites, so a
 * format must be rendered before the collector fetches again. Callers render synchronously after
 * `snapshot()` resolves, and every scrape after the cache expires waits for the new fetch, so this
 * holds; `stillValid` turns a breach into an error instead of a body mixing two reads.
 */
export class Snapshot {
  readonly families: readonly MetricFamily[];
  readonly up: boolean;
  readonly #bodies = new Map<ExpositionFormat, string>();
  readonly #buffers = new Map<ExpositionFormat, Buffer>();
  readonly #stillValid: () => boolean;
  constructor(families: readonly MetricFamily[], up: boolean, stillValid: () => boolean = () => true) {
    this.families = families;
    this.up = up;
    this.#stillValid = stillValid;
  }
  #checkValid(): void {
    if (!this.#stillValid()) throw new Error('snapshot rendered after a newer fetch overwrote its values');
  }
  body(format: ExpositionFormat): string {
    let body = this.#bodies.get(format);
    if (body === undefined) {
      this.#checkValid();
      body = render(this.families, format);
      this.#bodies.set(format, body);
    }
    return body;
  }
  /** The body as the bytes served (same bytes as `Buffer.from(body(format))`), rendered once per format. */
  bodyBuffer(format: ExpositionFormat): Buffer {
    let body = this.#buffers.get(format);
    if (body === undefined) {
      this.#checkValid();
      body = renderBuffer(this.families, format);
      this.#buffers.set(format, body);
    }
    return body;
  }
}

export class Collector {
  readonly #deps: CollectorDeps;
  readonly #self: SelfMetrics;
  readonly #now: () => number;
  #current: { snapshot: Snapshot; at: number } | undefined;
  #inFlight: Promise<Snapshot> | undefined;
  #lastUp: boolean | undefined;

  constructor(deps: CollectorDeps) {
    this.#deps = deps;
    this.#self = new SelfMetrics(deps.selfPrefix);
    this.#now = deps.now ?? (() => performance.now());
  }

  /** The freshest snapshot no older than cacheMs. Never rejects. */
  snapshot(): Promise<Snapshot> {
    const cur = this.#current;
    if (cur && this.#now() - cur.at < this.#deps.cacheMs) return Promise.resolve(cur.snapshot);
    if (!this.#inFlight) {
      this.#inFlight = this.#fetch().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  /** Resolves when no fetch is in flight; used at shutdown. */
  async idle(): Promise<void> {
    await this.#inFlight?.catch(() => {});
  }

  async #fetch(): Promise<Snapshot> {
    const started = this.#now();
    let outcome: Omit<FetchOutcome, 'durationSeconds' | 'finishedAt'>;
    let families: MetricFamily[] = [];
    let detail = '';
    try {
      const body = await this.#deps.reader.read(this.#deps.timeoutMs);
      // The body's bytes are only valid until the next read: everything below runs before it.
      const parsed = this.#parse(body);
      const mapped = parsed.mapped;
      // "Unparsable": the body as a whole is unusable, or not one line of it parsed (garbage, empty).
      const unparsable = parsed.fatal !== undefined || parsed.samples === 0;
      if (unparsable) {
        detail =
          parsed.fatal ?? (body.toString('utf8').trim() === '' ? 'empty body' : 'no line of the body parsed');
      }
      families = unparsable || !mapped ? [] : mapped.families;
      outcome = {
        up: !unparsable,
        exported: unparsable ? 0 : (mapped?.exported ?? 0),
        unparsed: parsed.unparsed,
        dropped: mapped?.dropped ?? new Map(),
        unmatched: mapped?.unmatched ?? 0,
        ...(unparsable ? { failure: 'unparsable' as SourceFailureReason } : {}),
      };
    } catch (err) {
      const reason: SourceFailureReason = err instanceof SourceError ? err.reason : 'read';
      detail = (err as Error).message;
      outcome = {
        up: false,
        exported: 0,
        unparsed: new Map(),
        dropped: new Map(),
        unmatched: 0,
        failure: reason,
      };
    }
    const finished = this.#now();
    const self = this.#self.record({
      ...outcome,
      durationSeconds: Math.round((finished - started) * 1000) / 1e6,
      finishedAt: Date.now() / 1000,
    });
    this.#logTransition(outcome.up, outcome.failure, detail);
    const mapper = this.#deps.mapper;
    const epoch = mapper.epoch;
    const stillValid = families.length === 0 ? undefined : () => mapper.epoch === epoch;
    const snapshot = new Snapshot([...families, ...self], outcome.up, stillValid);
    this.#current = { snapshot, at: finished };
    return snapshot;
  }

  /** Parses and maps one body; text goes from bytes to series in one pass (Mapper.mapText). */
  #parse(body: Buffer): {
    mapped: MapResult | undefined;
    samples: number;
    unparsed: Map<UnparsedReason, number>;
    fatal?: string;
  } {
    const kind = classifyBody(body, this.#deps.format);
    if (kind === 'binary') return { mapped: undefined, samples: 0, unparsed: new Map(), fatal: BINARY_BODY };
    if (kind === 'text') {
      const mapped = this.#deps.mapper.mapText(body);
      return { mapped, samples: mapped.samples, unparsed: mapped.unparsed };
    }
    const json = parseJsonStats(body.toString('utf8'));
    if (json.fatal !== undefined)
      return { mapped: undefined, samples: 0, unparsed: json.unparsed, fatal: json.fatal };
    return {
      mapped: this.#deps.mapper.map(json.samples),
      samples: json.samples.length,
      unparsed: json.unparsed,
    };
  }

  #logTransition(up: boolean, failure: string | undefined, detail: string): void {
    if (up === this.#lastUp) return;
    this.#lastUp = up;
    const source = this.#deps.reader.location;
    if (up) this.#deps.logger.info('source up', { source });
    else this.#deps.logger.warn('source down', { source, reason: failure, detail });
  }
}
