/**
 * Container restart back-off (CrashLoopBackOff) on kubelet's schedule: client-go's
 * flowcontrol.Backoff as kuberuntime's doBackOff uses it.
 *
 *   exit #1 ── restart at once; entry created with period = base (10 s)
 *   exit #2 ── held back while now - finishedAt < period (10 s), then restarted; period doubles
 *   exit #3 ── 20 s, then 40 s, 80 s, 160 s, capped at max (300 s)
 *   an entry not updated for more than 2 × max (600 s = ten minutes running clean) is forgotten,
 *   so the next exit restarts at once again.
 *
 * Keyed by kubelet's stable key `<pod name>_<namespace>_<uid>_<container name>_<spec hash>`, so a
 * changed container spec starts from scratch. Owned by the pod workers; one instance per kubelet
 * for containers and one for image pulls (keyed `<pod uid>_<image>`, driven by recordFailure and
 * inBackoffSinceUpdate as kubelet's image manager does).
 */

export const DEFAULT_BACKOFF_BASE_MS = 10_000;
export const DEFAULT_BACKOFF_MAX_MS = 300_000;

export interface BackoffOptions {
  /** First period; upstream's 10 s. Tests shorten it (the test-only knob). */
  baseMs?: number;
  /** Cap; upstream's 300 s. Scaled with the base when only the base is given. */
  maxMs?: number;
}

interface Entry {
  periodMs: number;
  lastUpdateMs: number;
}

export interface BackoffVerdict {
  /** True: do not start the container now. */
  readonly inBackoff: boolean;
  /** The current period, for the message (`back-off 20s ...`). */
  readonly periodMs: number;
}

export class ContainerBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.maxMs = options.maxMs ?? (this.baseMs * DEFAULT_BACKOFF_MAX_MS) / DEFAULT_BACKOFF_BASE_MS;
    if (!(this.baseMs > 0) || !(this.maxMs >= this.baseMs)) {
      throw new RangeError(
        `backoff: baseMs must be > 0 and maxMs >= baseMs (got ${this.baseMs}, ${this.maxMs})`,
      );
    }
  }

  /**
   * doBackOff for one exited container: `finishedAtMs` is its last finishedAt. When not in
   * back-off this records the restart (the period grows for the next exit); call it only right
   * before starting the container, as kubelet does.
   */
  check(key: string, finishedAtMs: number, nowMs: number): BackoffVerdict {
    const entry = this.#entries.get(key);
    if (entry && !this.#expired(entry, nowMs) && nowMs - finishedAtMs < entry.periodMs) {
      return { inBackoff: true, periodMs: entry.periodMs };
    }
    this.#next(key, finishedAtMs);
    return { inBackoff: false, periodMs: this.#entries.get(key)?.periodMs ?? this.baseMs };
  }

  /** The remaining wait, for scheduling the next sync; 0 when a start is allowed now. */
  remainingMs(key: string, finishedAtMs: number, nowMs: number): number {
    const entry = this.#entries.get(key);
    if (!entry || this.#expired(entry, nowMs)) return 0;
    return Math.max(0, entry.periodMs - (nowMs - finishedAtMs));
  }

  /**
   * IsInBackOffSinceUpdate, for image pulls: held while less than the period has passed since the
   * last recorded failure (`recordFailure`).
   */
  inBackoffSinceUpdate(key: string, nowMs: number): BackoffVerdict {
    const entry = this.#entries.get(key);
    if (!entry || this.#expired(entry, nowMs)) return { inBackoff: false, periodMs: this.baseMs };
    return { inBackoff: nowMs - entry.lastUpdateMs < entry.periodMs, periodMs: entry.periodMs };
  }

  /** Next: records a failure at `eventMs` (first: base period, then doubling to the cap). */
  recordFailure(key: string, eventMs: number): void {
    this.#next(key, eventMs);
  }

  /** Drops entries older than 2 × max (kubelet's periodic GC). Safe to call at any time. */
  gc(nowMs: number): void {
    for (const [key, entry] of this.#entries) if (this.#expired(entry, nowMs)) this.#entries.delete(key);
  }

  /** Forget a container, e.g. when its pod is removed. */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  #next(key: string, eventMs: number): void {
    const entry = this.#entries.get(key);
    if (!entry || this.#expired(entry, eventMs)) {
      this.#entries.set(key, { periodMs: this.baseMs, lastUpdateMs: eventMs });
      return;
    }
    entry.periodMs = Math.min(entry.periodMs * 2, this.maxMs);
    entry.lastUpdateMs = eventMs;
  }

  #expired(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.lastUpdateMs > this.maxMs * 2;
  }
}

/** kubelet's getStableKey. */
export function backoffKey(
  pod: { name: string; namespace: string; uid: string },
  container: string,
  specHash: string,
): string {
  return `${pod.name}_${pod.namespace}_${pod.uid}_${container}_${specHash}`;
}

/** The waiting message: `back-off 1m20s restarting failed container=app pod=web_default(uid)`. */
export function backoffMessage(periodMs: number, container: string, formattedPod: string): string {
  return `back-off ${goDuration(periodMs)} restarting failed container=${container} pod=${formattedPod}`;
}

/** The BackOff event message. */
export function backoffEventMessage(container: string, formattedPod: string): string {
  return `Back-off restarting failed container ${container} in pod ${formattedPod}`;
}

/**
 * Go's time.Duration.String for whole and fractional seconds: 10s, 1m20s, 5m0s, 1h0m0s, 500ms.
 * Kubelet prints back-off periods with it, so the messages match byte for byte.
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds - hours * 3600) / 60);
  const seconds = totalSeconds - hours * 3600 - minutes * 60;
  const secondsText = `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(9))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
