// Environment of the web app, as the seed's pattern-4 Deployment sets it (DATABASE_URL from the
// `database-credentials` Secret, REDIS_HOST; the rest are optional). Every invalid value fails at start
// with a ConfigError naming the variable, so a broken manifest crash-loops with a clear message.
import { ConfigError } from './errors.js';

export interface WebAppConfig {
  port: number;
  /** Address to listen on; empty means all interfaces (a pod's probes reach it on the pod IP). */
  host: string;
  databaseUrl: string;
  redis: { host: string; port: number; password?: string; db: number };
  /** Upper bound for each readiness check and each data query, in ms. Below the probe's 1 s default. */
  checkTimeoutMs: number;
  /** golang-migrate's version table, read by the readiness check. */
  migrationsTable: string;
  /** How long SIGTERM waits for in-flight requests before closing their connections, in ms. */
  shutdownGraceMs: number;
}

function intSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}: want an integer from ${min} to ${max}, got "${raw}"`, name);
  }
  return Number(raw);
}

export function loadConfig(env: NodeJS.ProcessEnv): WebAppConfig {
  const databaseUrl = env.DATABASE_URL ?? '';
  if (databaseUrl === '') {
    throw new ConfigError('DATABASE_URL: required (postgres://user:pass@host:5432/db)', 'DATABASE_URL');
  }
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // Only the scheme is echoed: the rest of the URL may carry a password.
    throw new ConfigError(
      `DATABASE_URL: want a postgres:// or postgresql:// URL, got scheme "${databaseUrl.split(':')[0]}"`,
      'DATABASE_URL',
    );
  }
  const migrationsTable = env.MIGRATIONS_TABLE || 'schema_migrations';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(migrationsTable)) {
    throw new ConfigError(
      `MIGRATIONS_TABLE: want an SQL identifier (letters, digits, _), got "${migrationsTable}"`,
      'MIGRATIONS_TABLE',
    );
  }
  const password = env.REDIS_PASSWORD || undefined;
  return {
    port: intSetting(env, 'PORT', 8080, 1, 65535),
    host: env.HOST ?? '',
    databaseUrl,
    redis: {
      host: env.REDIS_HOST || 'localhost',
      port: intSetting(env, 'REDIS_PORT', 6379, 1, 65535),
      ...(password ? { password } : {}),
      db: intSetting(env, 'REDIS_DB', 0, 0, 10_000),
    },
    checkTimeoutMs: intSetting(env, 'CHECK_TIMEOUT_MS', 800, 10, 60_000),
    migrationsTable,
    shutdownGraceMs: intSetting(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  };
}
