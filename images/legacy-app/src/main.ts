// Entry point of `legacy-app` (the seed's pattern-3 main container, image legacy-app:v1.0): traffic on
// PORT (8080), stats on ADMIN_PORT (8888) at METRICS_ENDPOINT. SIGTERM/SIGINT: both listeners close,
// in-flight requests finish (up to 10 s), exit 0. A bad setting exits 2 naming it.
import type { Server, ServerResponse } from 'node:http';
import { createAdminServer } from './admin.js';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { RequestStats } from './stats.js';
import { createTrafficServer } from './traffic.js';

const DRAIN_MS = 10_000;
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host || undefined, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const stats = new RequestStats();
  const traffic = createTrafficServer(stats);
  const admin = createAdminServer(stats, config.statsPath);
  // Keep-alive connections would hold the drain open: once stopping, every response not yet started
  // (in flight or new on an open connection) carries `Connection: close`.
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  for (const server of [traffic, admin]) {
    server.keepAliveTimeout = 5_000;
    server.on('request', (_req, res: ServerResponse) => {
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
      if (stopping) res.setHeader('connection', 'close');
    });
  }
  const port = await listen(traffic, config.port, config.host);
  const adminPort = await listen(admin, config.adminPort, config.host);
  log(`legacy-app serving on :${port}, stats on :${adminPort}${config.statsPath}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  stopping = true;
  for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
  log(`${signal}: draining`);
  await Promise.all([stop(traffic), stop(admin)]);
  const s = stats.snapshot();
  log(`stopped after ${s.requestsTotal} requests (${s.errorsTotal} errors)`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  log(`error: ${(e as Error).message}`);
  process.exitCode = e instanceof ConfigError ? e.exitCode : 1;
  process.exit(); // a listener that did start must not keep a failed process alive
}
