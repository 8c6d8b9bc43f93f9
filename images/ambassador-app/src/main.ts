// Entry point of the ambassador's app: the seed's `node app.js` (pattern 2), bundled into one file for
// the `app-source-code` ConfigMap (see bundle/bundle.ts). It must run on the seed's node:16 image, so it
// uses no API newer than Node 16 and no top-level await (the bundle is CommonJS).
// SIGTERM/SIGINT: stop accepting, finish in-flight requests (up to 10 s), QUIT Redis, exit 0.
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from './config.js';
import { createAppServer } from './server.js';

const DRAIN_MS = 10_000;
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const redis = new Redis({
    host: config.redis.host,
    port: config.redis.port,
    ...(config.redis.password ? { password: config.redis.password } : {}),
    connectionName: 'ambassador-app',
    // Fail fast while the ambassador is down (503) instead of queueing requests; reconnect forever.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.redisTimeoutMs,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  });
  let lastError = '';
  redis.on('error', (e: Error) => {
    if (e.message !== lastError) log(`redis: ${e.message}`);
    lastError = e.message;
  });
  redis.on('ready', () => {
    lastError = '';
    log(`redis ready at ${config.redis.host}:${config.redis.port}`);
  });

  const app = createAppServer(redis, config.maxItemBytes, log);
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host || undefined, () => resolve());
  }).catch((e) => {
    redis.disconnect();
    throw e;
  });
  log(`ambassador-app listening on :${config.port}, redis via ${config.redis.host}:${config.redis.port}`);

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log(`${signal}: draining`);
  await app.stop(DRAIN_MS);
  await redis.quit().catch(() => redis.disconnect());
  log('stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`error: ${(e as Error).message}`);
    process.exit(e instanceof ConfigError ? e.exitCode : 1);
  },
);
