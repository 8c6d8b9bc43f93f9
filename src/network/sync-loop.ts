/**
 * The loop both of the node's nftables writers run (the service proxy and the NetworkPolicy
 * enforcer), as kube-proxy's BoundedFrequencyRunner does for its rules:
 *   start   → subscribe to changes, then a first forced sync
 *   change  → a debounced (`debounceMs`) sync; syncs never overlap, and changes during a sync
 *             trigger exactly one more
 *   resync  → every `resyncMs` (0: never) a forced sync, which repairs a table someone flushed
 *   stop    → no more syncs; waits for the one in flight. Safe to call twice.
 * What a sync does (`apply(force)`) is the owner's; `apply` skips unchanged state unless forced.
 */
export interface SyncLoopOptions {
  debounceMs: number;
  resyncMs: number;
  apply: (force: boolean) => Promise<void>;
  /** A sync started by a change or a re-run failed (forced resyncs fail silently, as before). */
  onError: (err: unknown) => void;
}

export class SyncLoop {
  readonly #o: SyncLoopOptions;
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #resync: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(o: SyncLoopOptions) {
    this.#o = o;
  }

  /** `subscribe(onChange)` registers for changes and returns how to unregister. */
  async start(subscribe: (onChange: () => void) => () => void): Promise<void> {
    this.#stopped = false;
    this.#unsubscribe?.();
    this.#unsubscribe = subscribe(() => this.#schedule());
    await this.syncNow(true);
    if (this.#o.resyncMs > 0)
      this.#resync = setInterval(() => void this.syncNow(true).catch(() => {}), this.#o.resyncMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearTimeout(this.#timer);
    clearInterval(this.#resync);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }

  /**
   * Applies the current state now (skipped by `apply` when unchanged, unless `force`).
   * Serialised: a call during a running sync waits for it and then runs once more.
   */
  syncNow(force = false): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#o.apply(force).finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.syncNow().catch(this.#o.onError);
      }
    });
    return this.#running;
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.syncNow().catch(this.#o.onError);
    }, this.#o.debounceMs);
  }
}
