/**
 * `/metrics` (Prometheus text) and `/health` (JSON). /health answers 200 while the reading loop
 * is alive, even when a sink is down — a liveness probe must not restart the shipper because
 * Loki is away (the disk buffer is holding the lines); the body says which outputs are down.
 */
import { createServer, type Server } from 'node:http';
import { parseTcpAddress } from '../config/validate.js';
import type { MetricsRegistry } from './registry.js';
import type { Stats } from './stats.js';

export interface HealthSource {
  readonly stats: Stats;
  /** Ms since the reading loop last completed a round. */
  loopAgeMs(): number;
}

/** The loop rounds at least every poll interval; this long without one means it is stuck. */
const STUCK_AFTER_MS = 30_000;

export async function startMetricsServer(
  listen: string,
  registry: MetricsRegistry,
  health: HealthSource,
): Promise<Server> {
  const { host, port } = parseTcpAddress(listen, 'metrics.listen', true);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      let text: string;
      try {
        text = registry.metrics();
      } catch (err) {
        res.writeHead(500).end((err as Error).message);
        return;
      }
      res.writeHead(200, { 'content-type': registry.contentType }).end(text);
    } else if (path === '/health' || path === '/healthz') {
      const age = health.loopAgeMs();
      const outputs = Object.fromEntries(
        [...health.stats.outputs].map(([name, o]) => [
          name,
          { up: o.up, buffered_batches: o.diskBatches, last_error: o.lastError },
        ]),
      );
      const ok = age < STUCK_AFTER_MS;
      res
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ok ? 'ok' : 'stuck', loop_age_ms: age, outputs }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
