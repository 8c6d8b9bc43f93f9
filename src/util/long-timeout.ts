/**
 * Timers for delays that come from objects: a probe's periodSeconds or timeoutSeconds, a grace period, a
 * Job's activeDeadlineSeconds, a CronJob's next run a year away.
 *
 * Why: Node's setTimeout takes at most 2^31-1 ms (~24.8 days); a longer delay is replaced by 1 ms, with a
 * TimeoutOverflowWarning. Fed an object's int32 or int64 seconds it fires at once: a yearly CronJob was
 * requeued every millisecond, a probe with a 30-day timeout failed at once. Go's timers take any
 * time.Duration, and the API accepts these values, so every such delay goes through here: it waits the
 * longest Node allows, then again for what is left.
 *
 * A delay that is not a positive finite number fires on the next turn (as setTimeout(fn, 0)), except
 * +Infinity, which never fires.
 */

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class LongTimeout {
  #timer: NodeJS.Timeout | undefined;
  #left: number;
  #ref = true;
  #cleared = false;

  constructor(
    private readonly fn: () => void,
    ms: number,
  ) {
    this.#left = Number.isNaN(ms) || ms < 0 ? 0 : ms;
    this.#arm();
  }

  /** Stops it; safe to call twice or after it fired. */
  clear(): void {
    this.#cleared = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Does not keep the process alive (as Timeout.unref). */
  unref(): this {
    this.#ref = false;
    this.#timer?.unref();
    return this;
  }

  #arm(): void {
    if (this.#cleared) return;
    const step = Math.min(this.#left, MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.#left -= step;
      if (this.#left > 0) this.#arm();
      else {
        this.#timer = undefined;
        this.fn();
      }
    }, step);
    if (!this.#ref) this.#timer.unref();
  }
}

/** setTimeout for any delay: see the module comment. */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout {
  return new LongTimeout(fn, ms);
}

/** Resolves after `ms` (any length); `unref` lets the process exit meanwhile. */
export function sleep(ms: number, o: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve) => {
    const t = setLongTimeout(resolve, ms);
    if (o.unref) t.unref();
  });
}
