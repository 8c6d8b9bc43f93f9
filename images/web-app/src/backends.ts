// The web app's two clients, built once at start and owned by main.ts (it alone closes them).
// Both fail fast instead of queueing: a request or probe while a backend is down gets an error within
// checkTimeoutMs, not a hang, and both reconnect by themselves when the backend comes back.
import { Redis } from 'ioredis';
import pg from 'pg';
import type { WebAppConfig } from './config.js';
import { withTimeout } from './timeout.js';

export interface Backends {
  db: pg.Pool;
  redis: Redis;
  /** The last connection error since Redis was last ready ('' while connected), for readiness details. */
  redisLastError(): string;
  close(): Promise<void>;
}

export function openBackends(config: WebAppConfig, log: (line: string) => void): Backends {
  const db = new pg.Pool({
    connectionString: config.databaseUrl,
    max: 10,
    connectionTimeoutMillis: config.checkTimeoutMs,
    // Client-side bound on a query; statement_timeout also stops the work on the server.
    query_timeout: config.checkTimeoutMs,
    statement_timeout: config.checkTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'web-app',
  });
  // An idle client losing its connection (PostgreSQL restart) must not crash the process.
  db.on('error', (e) => log(`postgres: idle client error: ${e.message}`));

  const redis = new Redis({
    host: config.redis.host,
    port: config.redis.port,
    db: config.redis.db,
    ...(config.redis.password ? { password: config.redis.password } : {}),
    connectionName: 'web-app',
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: config.checkTimeoutMs,
    commandTimeout: config.checkTimeoutMs,
    // Reconnect forever with a capped backoff; readiness reports the gap meanwhile.
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  });
  let lastRedisError = '';
  redis.on('error', (e: Error) => {
    // ioredis emits the same ECONNREFUSED on every retry; log each distinct error once.
    if (e.message !== lastRedisError) log(`redis: ${e.message}`);
    lastRedisError = e.message;
  });
  redis.on('ready', () => {
    lastRedisError = '';
  });

  return {
    db,
    redis,
    redisLastError: () => lastRedisError,
    /** Bounded by 2 s: QUIT to an unresponsive Redis would otherwise wait for its reply. */
    async close() {
      await withTimeout(
        Promise.allSettled([db.end(), redis.quit().catch(() => redis.disconnect())]),
        2_000,
        'closing the clients',
      ).catch(() => redis.disconnect());
    },
  };
}
