/**
 * A keyed work queue, as client-go's rate-limited workqueue, for Node's single thread:
 *  - a key is queued at most once (latest wins: the sync reads current state, not the event);
 *  - a key is never synced twice at once: adding it while it syncs marks it dirty, and it is
 *    queued again when that sync ends;
 *  - a failed sync is retried after an exponential backoff (5 ms doubling, capped), and the
 *    failure count is forgotten after a success;
 *  - `addAfter` schedules a key for later (minReadySeconds, progress deadlines).
 * Keys are processed one per macrotask so I/O and other controllers interleave.
 */
import { type LongTimeout, setLongTimeout } from '../../util/long-timeout.js';

export interface WorkQueueOptions {
  name: string;
  /** Syncs one key; a thrown error (or rejected promise) schedules a retry with backoff. */
  sync: (key: string) => void | Promise<void>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class WorkQueue {
  readonly #opts: Required<WorkQueueOptions>;
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirtyWhileProcessing = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { timer: LongTimeout; due: number }>();
  #scheduled = false;
  #stopped = false;

  constructor(opts: WorkQueueOptions) {
    this.#opts = { baseDelayMs: 5, maxDelayMs: 60_000, ...opts };
  }

  add(key: string): void {
    if (this.#stopped) return;
    if (this.#processing.has(key)) {
      this.#dirtyWhileProcessing.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#schedule();
  }

  /** Adds the key after `ms`; of two pending timers for one key, the sooner one is kept. */
  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const due = Date.now() + ms;
    const existing = this.#timers.get(key);
    if (existing && existing.due <= due) return;
    existing?.timer.clear();
    // Delays come from objects (a CronJob's next run, a Job's deadline) and may exceed setTimeout's limit.
    const timer = setLongTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, ms).unref();
    this.#timers.set(key, { timer, due });
  }

  /** Nothing ready to run and nothing running (delayed keys are not counted). */
  isQuiet(): boolean {
    return this.#queue.length === 0 && this.#processing.size === 0;
  }

  /** Safe to call twice; pending and delayed keys are dropped. */
  shutDown(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) t.timer.clear();
    this.#timers.clear();
    this.#queue.length = 0;
    this.#queued.clear();
  }

  #schedule(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#processOne();
    });
  }

  async #processOne(): Promise<void> {
    const key = this.#queue.shift();
    if (key === undefined) return;
    this.#queued.delete(key);
    this.#processing.add(key);
    if (this.#queue.length > 0) this.#schedule();
    try {
      await this.#opts.sync(key);
      this.#failures.delete(key);
    } catch (err) {
      const n = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, n);
      const delay = Math.min(this.#opts.baseDelayMs * 2 ** (n - 1), this.#opts.maxDelayMs);
      this.#opts.log(`${this.#opts.name}: sync failed, retrying`, {
        key,
        attempt: n,
        delayMs: delay,
        error: String(err),
      });
      this.addAfter(key, delay);
    } finally {
      this.#processing.delete(key);
      if (this.#dirtyWhileProcessing.delete(key)) this.add(key);
    }
  }
}

/** `namespace/name`, or `name` for cluster-scoped objects, as cache.MetaNamespaceKeyFunc. */
export const objectKey = (namespace: string | undefined, name: string): string =>
  namespace ? `${namespace}/${name}` : name;

export function splitKey(key: string): [namespace: string, name: string] {
  const i = key.indexOf('/');
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}
