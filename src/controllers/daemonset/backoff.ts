/**
 * The failed-pod backoff of upstream's DaemonSet controller (flowcontrol.NewBackOff(1s, 15m), keyed
 * by DaemonSet uid and node): a failed daemon pod is deleted at once, then, while the kubelet keeps
 * failing its replacements, no sooner than 1 s, 2 s, 4 s, ... (at most 15 min) after the last deletion.
 * An entry idle for twice the maximum starts over.
 */
const INITIAL_MS = 1000;
const MAX_MS = 15 * 60 * 1000;

export class FailedPodsBackoff {
  readonly #entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  /** IsInBackOffSinceUpdate: the last deletion on this key was less than its delay ago. */
  inBackoff(key: string, now: number): boolean {
    const e = this.#entries.get(key);
    return !!e && now - e.lastUpdate < e.delayMs;
  }

  delayMs(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /** Next: records a deletion now, doubling the delay. */
  next(key: string, now: number): void {
    const e = this.#entries.get(key);
    const delayMs = !e || now - e.lastUpdate > 2 * MAX_MS ? INITIAL_MS : Math.min(e.delayMs * 2, MAX_MS);
    this.#entries.set(key, { delayMs, lastUpdate: now });
  }
}
