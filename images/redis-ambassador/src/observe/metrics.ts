/**
 * Prometheus metrics, served on their own port (`/metrics`, plus `/healthz`). Per-command counters are
 * plain numbers bumped on the hot path and copied into prom-client only at scrape time, so a command
 * costs two integer increments and one histogram observation. The standard process/Node.js metrics
 * (process_cpu_seconds_total, nodejs_eventloop_lag_*, GC) come along.
 */
import http from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { HostPort } from '../config/config.js';
import type { TopologyMonitor } from '../topology/monitor.js';
import { type HistogramCell, RouteHistogram } from './route-histogram.js';

export type MetricRoute = 'master' | 'replica' | 'private' | 'local';

interface RouteStats {
  readonly backend: string;
  readonly route: MetricRoute;
  commands: number;
  errors: number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly stats = new Map<string, RouteStats>();
  /** The same entries as `stats`, by backend then route: the hot path builds no key string. */
  private readonly statsIndex = new Map<string, Map<MetricRoute, RouteStats>>();
  private last: {
    readonly backend: string;
    readonly route: MetricRoute;
    readonly stats: RouteStats;
    readonly cell: HistogramCell;
  } | null = null;
  private readonly latency: RouteHistogram<MetricRoute>;
  clients = 0;
  masterChanges = 0;

  constructor(topology: () => TopologyMonitor | undefined) {
    // The process's own CPU, memory, GC and event-loop lag (prom-client's standard set): a proxy on a
    // shared or throttled CPU shows it here first, as lag, before it shows as command latency.
    collectDefaultMetrics({ register: this.registry });
    const stats = this.stats;
    new Counter({
      name: 'redis_ambassador_commands_total',
      help: 'Commands answered, by backend and route',
      labelNames: ['backend', 'route'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of stats.values()) this.inc({ backend: s.backend, route: s.route }, s.commands);
      },
    });
    new Counter({
      name: 'redis_ambassador_command_errors_total',
      help: 'Commands answered with an error reply (from Redis or from the ambassador), by backend and route',
      labelNames: ['backend', 'route'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of stats.values()) this.inc({ backend: s.backend, route: s.route }, s.errors);
      },
    });
    this.latency = new RouteHistogram(
      'redis_ambassador_command_duration_seconds',
      'Time from a command fully read from the client to its reply queued back, by route',
      ['master', 'replica', 'private', 'local'],
      this.registry,
    );
    const self = this;
    new Gauge({
      name: 'redis_ambassador_clients',
      help: 'Client connections open',
      registers: [this.registry],
      collect() {
        this.set(self.clients);
      },
    });
    new Counter({
      name: 'redis_ambassador_master_changes_total',
      help: 'Times the master changed (failover, promotion, loss)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(self.masterChanges);
      },
    });
    new Gauge({
      name: 'redis_ambassador_master_known',
      help: '1 while a master is known (writes can be served)',
      aggregator: 'min',
      registers: [this.registry],
      collect() {
        this.set(topology()?.currentMaster ? 1 : 0);
      },
    });
    new Gauge({
      name: 'redis_ambassador_backend_up',
      aggregator: 'max',
      help: '1 when the backend answered its last ROLE check, by backend and role',
      labelNames: ['backend', 'role'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const n of topology()?.nodes.values() ?? [])
          this.set({ backend: n.id, role: n.role }, n.up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'redis_ambassador_backend_readable',
      aggregator: 'max',
      help: '1 when the replica is in read rotation',
      labelNames: ['backend'],
      registers: [this.registry],
      collect() {
        this.reset();
        const t = topology();
        const readable = new Set(t?.readableReplicas() ?? []);
        for (const n of t?.nodes.values() ?? []) this.set({ backend: n.id }, readable.has(n) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'redis_ambassador_replica_lag_bytes',
      aggregator: 'max',
      help: 'Master replication offset minus the replica offset, from the same check round',
      labelNames: ['backend'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const n of topology()?.nodes.values() ?? [])
          if (n.role === 'replica') this.set({ backend: n.id }, n.lagBytes);
      },
    });
  }

  /** Hot path: `count` commands answered together (`errors` of them with an error) after `seconds`. */
  record(backend: string, route: MetricRoute, count: number, errors: number, seconds: number): void {
    // Consecutive replies mostly share backend and route: skip the three Map look-ups then.
    const last = this.last;
    if (last !== null && last.backend === backend && last.route === route) {
      last.stats.commands += count;
      last.stats.errors += errors;
      last.cell.observe(seconds, count);
      return;
    }
    let byRoute = this.statsIndex.get(backend);
    if (!byRoute) {
      byRoute = new Map();
      this.statsIndex.set(backend, byRoute);
    }
    let s = byRoute.get(route);
    if (!s) {
      s = { backend, route, commands: 0, errors: 0 };
      this.stats.set(`${route}|${backend}`, s);
      byRoute.set(route, s);
    }
    s.commands += count;
    s.errors += errors;
    const cell = this.latency.cell(route);
    cell.observe(seconds, count);
    this.last = { backend, route, stats: s, cell };
  }

  /** Serves /metrics and /healthz (200 while a master is known, else 503). Resolves once listening. */
  serve(at: HostPort, ready: () => boolean): Promise<http.Server> {
    const server = http.createServer(async (req, res) => {
      try {
        if (req.url === '/metrics') {
          const body = await this.registry.metrics();
          res.writeHead(200, { 'content-type': this.registry.contentType }).end(body);
        } else if (req.url === '/healthz') {
          const ok = ready();
          res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'no master\n');
        } else res.writeHead(404).end();
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(at.port, at.host, () => resolve(server));
    });
  }
}
