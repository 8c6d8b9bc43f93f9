/**
 * Turns cumulative CPU counters into rates, as metrics-server does from two scrapes. Each series
 * keeps its last sample; a request with no recent sample takes two, `minWindowMs` apart, so the
 * first `kubectl top` already shows a real rate rather than zero.
 */

export interface CpuSample {
  /** Cumulative CPU time in nanoseconds. */
  cpuNs: number;
  atMs: number;
}

export interface RateOptions {
  /** Shortest window worth reporting; a younger previous sample is reused only if older than this. */
  minWindowMs: number;
  /** Older previous samples are discarded (the series may have restarted). */
  maxWindowMs: number;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const DEFAULT_RATE_OPTIONS: RateOptions = {
  minWindowMs: 500,
  maxWindowMs: 60_000,
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export class CpuRateTracker {
  readonly #last = new Map<string, CpuSample>();
  constructor(private readonly o: RateOptions = DEFAULT_RATE_OPTIONS) {}

  /**
   * Rates for the given series, reading each through `sample`. Samples older than maxWindowMs
   * are dropped, so series that went away do not pile up.
   */
  async rates(
    keys: string[],
    sample: (key: string) => Promise<number>,
  ): Promise<{ nanoCores: Map<string, number>; windowMs: number }> {
    const readAll = async () => {
      const out = new Map<string, CpuSample>();
      for (const k of keys) out.set(k, { cpuNs: await sample(k), atMs: this.o.now() });
      return out;
    };
    let now = await readAll();
    const usable = (k: string) => {
      const prev = this.#last.get(k);
      const cur = now.get(k)!;
      return (
        prev &&
        cur.atMs - prev.atMs >= this.o.minWindowMs &&
        cur.atMs - prev.atMs <= this.o.maxWindowMs &&
        cur.cpuNs >= prev.cpuNs
      );
    };
    if (!keys.every(usable)) {
      for (const [k, s] of now) this.#last.set(k, s);
      await this.o.sleep(this.o.minWindowMs);
      now = await readAll();
    }
    const nanoCores = new Map<string, number>();
    let windowMs = 0;
    for (const [k, cur] of now) {
      const prev = this.#last.get(k)!;
      const dt = cur.atMs - prev.atMs;
      windowMs = Math.max(windowMs, dt);
      nanoCores.set(k, dt > 0 ? Math.max(0, ((cur.cpuNs - prev.cpuNs) * 1000) / dt) : 0);
    }
    const cutoff = this.o.now() - this.o.maxWindowMs;
    for (const [k, s] of this.#last) if (s.atMs < cutoff) this.#last.delete(k);
    for (const [k, s] of now) this.#last.set(k, s);
    return { nanoCores, windowMs };
  }
}
