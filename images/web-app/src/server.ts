// The HTTP server and its graceful stop. Contract of stop(): readiness turns 503 at once, the listener
// closes, idle keep-alive connections close, in-flight requests get up to `graceMs` to finish (their
// responses carry `Connection: close`, so a keep-alive client does not hold the drain open), then the
// rest are cut. Safe to call twice (the second call returns the first call's promise).
import { createServer, type Server, type ServerResponse } from 'node:http';
import { sendError } from './http/respond.js';
import { matchRoute, type Route } from './http/router.js';

export interface HttpServer {
  server: Server;
  listen(port: number, host: string): Promise<number>;
  stop(graceMs: number): Promise<void>;
}

export function createHttpServer(routes: () => readonly Route[], log: (line: string) => void): HttpServer {
  let stopping: Promise<void> | undefined;
  const inFlight = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const start = performance.now();
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (stopping) res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const { route, params } = matchRoute(routes(), req.method ?? 'GET', url.pathname);
      await route.handler({ req, res, params, query: url.searchParams });
    } catch (e) {
      if (!res.headersSent) sendError(res, e, log);
      else res.destroy();
    }
    // Probes are frequent and uninteresting; everything else gets an access line.
    if (!url.pathname.startsWith('/health/')) {
      log(`${req.method} ${url.pathname} ${res.statusCode} ${(performance.now() - start).toFixed(1)}ms`);
    }
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host || undefined, () => {
          server.off('error', reject);
          resolve((server.address() as { port: number }).port);
        });
      });
    },
    stop(graceMs) {
      stopping ??= new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      });
      return stopping;
    },
  };
}
