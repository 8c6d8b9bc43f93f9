/**
 * The delay before a Job replaces a failed pod, as upstream's backoffRecord: 10 s doubled for
 * each failure since the last success, capped at 10 minutes, measured from the last failure.
 * Records live in memory (upstream's backoffRecordStore does too): a restarted engine forgets
 * them and may replace a pod early, never late.
 */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureMs: number | undefined;
}

export class BackoffStore {
  readonly #records = new Map<string, BackoffRecord>();

  /** Folds in newly counted pods: a success resets the count, each failure adds one. */
  observe(key: string, newSucceeded: number, failureTimesMs: readonly number[]): void {
    const r = this.#records.get(key) ?? { failuresAfterLastSuccess: 0, lastFailureMs: undefined };
    if (newSucceeded > 0) {
      r.failuresAfterLastSuccess = 0;
      r.lastFailureMs = undefined;
    }
    for (const t of failureTimesMs) {
      r.failuresAfterLastSuccess++;
      r.lastFailureMs = Math.max(r.lastFailureMs ?? 0, t);
    }
    this.#records.set(key, r);
  }

  /** Milliseconds still to wait before creating a pod for `key` at `nowMs` (0: go ahead). */
  remainingMs(key: string, nowMs: number): number {
    const r = this.#records.get(key);
    if (!r || r.failuresAfterLastSuccess === 0 || r.lastFailureMs === undefined) return 0;
    const delay = Math.min(
      DEFAULT_POD_FAILURE_BACKOFF_MS * 2 ** (r.failuresAfterLastSuccess - 1),
      MAX_POD_FAILURE_BACKOFF_MS,
    );
    return Math.max(0, r.lastFailureMs + delay - nowMs);
  }

  forget(key: string): void {
    this.#records.delete(key);
  }
}
