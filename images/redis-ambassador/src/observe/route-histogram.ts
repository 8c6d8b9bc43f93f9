/**
 * A latency histogram per route, cheap enough for the hot path (a bucket scan over 11 bounds and two
 * additions; no label hashing). It is exposed to prom-client as a metric object whose `get()` returns the
 * standard histogram series (`_bucket{le}`, `_sum`, `_count`), so /metrics output is regular Prometheus.
 */
import type { Registry } from 'prom-client';

const BOUNDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5];

export class HistogramCell {
  readonly counts = new Float64Array(BOUNDS.length + 1);
  sum = 0;
  count = 0;

  /** Records `n` observations of `seconds` (a run of commands answered together). */
  observe(seconds: number, n = 1): void {
    let i = 0;
    while (i < BOUNDS.length && seconds > BOUNDS[i]!) i++;
    this.counts[i]! += n;
    this.sum += seconds * n;
    this.count += n;
  }
}

export class RouteHistogram<R extends string> {
  private readonly cells = new Map<R, HistogramCell>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    routes: readonly R[],
    registry: Registry,
  ) {
    for (const r of routes) this.cells.set(r, new HistogramCell());
    registry.registerMetric(this as never);
  }

  cell(route: R): HistogramCell {
    return this.cells.get(route)!;
  }

  /** prom-client's metric contract: called at scrape time. */
  get(): { name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: unknown[] } {
    const values: unknown[] = [];
    for (const [route, c] of this.cells) {
      let cumulative = 0;
      BOUNDS.forEach((le, i) => {
        cumulative += c.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { route, le }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { route, le: '+Inf' }, value: c.count });
      values.push({ metricName: `${this.name}_sum`, labels: { route }, value: c.sum });
      values.push({ metricName: `${this.name}_count`, labels: { route }, value: c.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  reset(): void {}
}
