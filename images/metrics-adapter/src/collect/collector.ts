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
import type { Mapper } from '../mapping/mapper.js';
import { parseBody, type SourceFormat } from '../source/parse-body.js';
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

/** One fetch's result, rendered lazily per format and then reused until the cache expires. */
export class Snapshot {
  readonly families: readonly MetricFamily[];
  readonly up: boolean;
  readonly #bodies = new Map<ExpositionFormat, string>();
  readonly #buffers = new Map<ExpositionFormat, Buffer>();
  constructor(families: readonly MetricFamily[], up: boolean) {
    this.families = families;
    this.up = up;
  }
  body(format: ExpositionFormat): string {
    let body = this.#bodies.get(format);
    if (body === undefined) {
      body = render(this.families, format);
      this.#bodies.set(format, body);
    }
    return body;
  }
  /** The body as the bytes served (same bytes as `Buffer.from(body(format))`), rendered once per format. */
  bodyBuffer(format: ExpositionFormat): Buffer {
    let body = this.#buffers.get(format);
    if (body === undefined) {
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
      const parsed = parseBody(
        body,
        this.#deps.format,
        this.#deps.mapper.lookupHead,
        this.#deps.mapper.expectedHeads,
      );
      const mapped = parsed.fatal ? undefined : this.#deps.mapper.map(parsed.samples);
      // "Unparsable": the body as a whole is unusable, or not one line of it parsed (garbage, empty).
      const unparsable = parsed.fatal !== undefined || parsed.samples.length === 0;
      if (unparsable) {
        detail = parsed.fatal ?? (body.trim() === '' ? 'empty body' : 'no line of the body parsed');
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
    const snapshot = new Snapshot([...families, ...self], outcome.up);
    this.#current = { snapshot, at: finished };
    return snapshot;
  }

  #logTransition(up: boolean, failure: string | undefined, detail: string): void {
    if (up === this.#lastUp) return;
    this.#lastUp = up;
    const source = this.#deps.reader.location;
    if (up) this.#deps.logger.info('source up', { source });
    else this.#deps.logger.warn('source down', { source, reason: failure, detail });
  }
}
