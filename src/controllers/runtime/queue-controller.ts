/**
 * The shape every controller here shares: watch some resources, map each event to the keys of
 * the primary objects it affects, sync those keys one at a time through a WorkQueue, and
 * re-enqueue every primary object periodically to repair anything a missed event left behind.
 * Subclasses supply the watches, the key lister and `sync`; `sync` reads current state from
 * the client (never from the event), so coalesced events lose nothing.
 */
import type { WatchEvent } from '../../api/types.js';
import type { Controller, ControllerDeps } from '../client.js';
import { WorkQueue } from './work-queue.js';

export interface WatchSpec {
  resource: string;
  /** Keys of primary objects to sync because of this event. */
  keysFor(event: WatchEvent): readonly string[];
}

export interface QueueControllerOptions {
  /** How often every primary object is re-enqueued; 0 disables. Default 30 s. */
  resyncPeriodMs?: number;
}

export abstract class QueueController implements Controller {
  abstract readonly name: string;
  protected readonly queue: WorkQueue;
  readonly #unwatch: (() => void)[] = [];
  #resyncTimer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(
    protected readonly deps: ControllerDeps,
    protected readonly options: QueueControllerOptions = {},
  ) {
    this.queue = new WorkQueue({
      name: new.target.name,
      sync: (key) => this.sync(key),
      log: deps.log,
    });
  }

  protected abstract watches(): readonly WatchSpec[];
  /** Keys of every primary object, for the first sync and periodic resyncs. */
  protected abstract allKeys(): readonly string[];
  protected abstract sync(key: string): void | Promise<void>;
  /**
   * A resource the controller cannot work without. As kube-controller-manager skips a controller whose
   * resources the API does not serve, `start` then leaves it idle and says so.
   */
  protected readonly requiredResource: { resource: string; group: string } | undefined = undefined;

  start(): void {
    if (this.#started) return;
    const required = this.requiredResource;
    if (
      required &&
      !this.deps.client
        .resources()
        .some((r) => r.resource === required.resource && r.group === required.group)
    ) {
      this.deps.log(`${this.name}: ${required.resource}.${required.group} not served; controller idle`);
      return;
    }
    this.#started = true;
    for (const w of this.watches()) {
      this.#unwatch.push(
        this.deps.client.watch(w.resource, (ev) => {
          // A failing mapper must not break the client's delivery to other watchers.
          try {
            for (const k of w.keysFor(ev)) this.queue.add(k);
          } catch (e) {
            this.deps.log(`${this.name}: mapping a ${w.resource} event failed`, { error: String(e) });
          }
        }),
      );
    }
    this.resync();
    const period = this.options.resyncPeriodMs ?? 30_000;
    if (period > 0) {
      this.#resyncTimer = setInterval(() => this.resync(), period);
      this.#resyncTimer.unref();
    }
  }

  /** Enqueues every primary object (tests call this after moving a fake clock). */
  resync(): void {
    for (const k of this.allKeys()) this.queue.add(k);
  }

  stop(): void {
    for (const u of this.#unwatch.splice(0)) u();
    if (this.#resyncTimer) clearInterval(this.#resyncTimer);
    this.#resyncTimer = undefined;
    this.queue.shutDown();
  }

  isQuiet(): boolean {
    return this.queue.isQuiet();
  }
}
