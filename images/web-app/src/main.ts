// Entry point of `web-app` (the seed's pattern-4 main container, image web-app:v2.0).
// Start: config (exit 2 on a bad setting) -> clients -> listen on PORT. SIGTERM/SIGINT: readiness 503,
// drain in-flight requests (SHUTDOWN_GRACE_MS), close the clients, exit 0.
import { openBackends } from './backends.js';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { buildRoutes } from './routes.js';
import { createHttpServer } from './server.js';

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const backends = openBackends(config, log);
  let shuttingDown = false;
  const routes = buildRoutes({
    backends,
    migrationsTable: config.migrationsTable,
    checkTimeoutMs: config.checkTimeoutMs,
    isShuttingDown: () => shuttingDown,
    startedAt: new Date(),
  });
  const http = createHttpServer(() => routes, log);
  let port: number;
  try {
    port = await http.listen(config.port, config.host);
  } catch (e) {
    await backends.close(); // otherwise the Redis reconnect loop keeps a failed process alive
    throw e;
  }
  log(
    `web-app listening on ${config.host || '*'}:${port} (postgres from DATABASE_URL, redis ${config.redis.host}:${config.redis.port})`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  shuttingDown = true;
  log(`${signal}: draining (up to ${config.shutdownGraceMs}ms)`);
  await http.stop(config.shutdownGraceMs);
  await backends.close();
  log('stopped');
  return 0;
}

let exitCode: number;
try {
  exitCode = await main();
} catch (e) {
  const error = e as Error;
  log(`error: ${error.message}`);
  exitCode = e instanceof ConfigError ? e.exitCode : 1;
}
// Exit explicitly: a client socket to a backend that accepts but never answers can outlive QUIT/end()
// by seconds, and the kubelet would count that against the grace period. Everything is closed by now.
process.exit(exitCode);
