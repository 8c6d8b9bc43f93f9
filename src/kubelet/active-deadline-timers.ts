/**
 * The wake-up half of kubelet's activeDeadlineHandler (active_deadline.go ShouldSync, which
 * getPodsToSync polls every second): one timer per pod with an active deadline that asks the pod's
 * worker to sync when the deadline comes, so the pod fails then even if nothing else happens to it.
 * The decision itself is the status rules' (status/active-deadline.ts).
 *
 * Only syncPod arms (on every sync, with the deadline computed from the current spec and
 * startTime, so a lowered activeDeadlineSeconds re-arms the timer); a terminal or finished pod
 * clears it. Delays come from an object (up to 2^31-1 seconds), so they go through setLongTimeout.
 */
import { type LongTimeout, setLongTimeout } from '../util/long-timeout.js';

export interface ActiveDeadlineTimersDeps {
  /** Asks the pod's worker to sync now (PodWorkers.syncNow). */
  readonly wake: (uid: string) => void;
  /** ms since the epoch, on the kubelet's clock. */
  readonly now: () => number;
}

export class ActiveDeadlineTimers {
  readonly #timers = new Map<string, { readonly at: number; readonly timer: LongTimeout }>();
  #stopped = false;

  constructor(private readonly deps: ActiveDeadlineTimersDeps) {}

  /**
   * Wakes the pod's worker at `at` (ms since the epoch); undefined clears it. Safe to call on every
   * sync: an unchanged deadline keeps its timer.
   */
  arm(uid: string, at: number | undefined): void {
    const current = this.#timers.get(uid);
    if (current?.at === at) return;
    this.clear(uid);
    if (at === undefined || this.#stopped) return;
    const timer = setLongTimeout(() => {
      this.#timers.delete(uid);
      this.deps.wake(uid);
    }, at - this.deps.now()).unref();
    this.#timers.set(uid, { at, timer });
  }

  /** Forgets the pod's timer; safe to call for a pod without one. */
  clear(uid: string): void {
    this.#timers.get(uid)?.timer.clear();
    this.#timers.delete(uid);
  }

  /** The armed deadline of a pod, for tests. */
  armedAt(uid: string): number | undefined {
    return this.#timers.get(uid)?.at;
  }

  /** Clears every timer and arms no more. Safe to call twice. */
  stop(): void {
    this.#stopped = true;
    for (const uid of [...this.#timers.keys()]) this.clear(uid);
  }
}
