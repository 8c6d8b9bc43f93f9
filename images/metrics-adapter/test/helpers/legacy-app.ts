/**
 * A stand-in for the legacy app's admin port, for tests and benchmarks: serves `/admin/stats` in the
 * legacy format on a loopback port. Its behaviour is switched between requests to play a healthy,
 * slow, failing or garbage-spewing app.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const SEED_STATS = `# legacy stats v1
uptime 3600
version 1.0.3
requests_total 1241
response_time 0.25
response_time_p99 1.9
errors_total 3
active_connections 17
last_error: none
`;

export type LegacyBehaviour =
  | { readonly kind: 'ok'; readonly body: string; readonly contentType?: string }
  | { readonly kind: 'slow'; readonly body: string; readonly delayMs: number }
  | { readonly kind: 'status'; readonly status: number };

export class LegacyApp {
  behaviour: LegacyBehaviour = { kind: 'ok', body: SEED_STATS };
  requests = 0;
  readonly #server: http.Server;
  readonly #timers = new Set<NodeJS.Timeout>();

  private constructor() {
    this.#server = http.createServer((req, res) => {
      this.requests++;
      if (req.url !== '/admin/stats') {
        res.writeHead(404).end();
        return;
      }
      const b = this.behaviour;
      if (b.kind === 'status') {
        res.writeHead(b.status).end('oops');
      } else if (b.kind === 'slow') {
        const t = setTimeout(() => {
          this.#timers.delete(t);
          if (!res.destroyed) res.writeHead(200, { 'content-type': 'text/plain' }).end(b.body);
        }, b.delayMs);
        this.#timers.add(t);
      } else {
        res.writeHead(200, { 'content-type': b.contentType ?? 'text/plain' }).end(b.body);
      }
    });
  }

  static async start(): Promise<LegacyApp> {
    const app = new LegacyApp();
    await new Promise<void>((resolve) => app.#server.listen(0, '127.0.0.1', resolve));
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/admin/stats`;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Stops listening; after this the port refuses connections (the "source down" case). */
  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
