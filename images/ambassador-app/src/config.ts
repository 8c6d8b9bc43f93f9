// Environment of the ambassador's app, as the seed's pattern-2 Pod sets it: REDIS_HOST "localhost" and
// REDIS_PORT "6379", the ambassador container in the same pod. Bad values exit 2 naming the variable.
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
  }
}

export interface AppConfig {
  port: number;
  /** Empty means all interfaces (a Service or probe reaches the pod IP). */
  host: string;
  redis: { host: string; port: number; password?: string };
  /** Largest item body accepted, in bytes. */
  maxItemBytes: number;
  /** Bound on one Redis command, in ms: a request fails with 503 instead of hanging. */
  redisTimeoutMs: number;
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

export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const password = env.REDIS_PASSWORD || undefined;
  return {
    port: intSetting(env, 'PORT', 3000, 1, 65535),
    host: env.HOST ?? '',
    redis: {
      host: env.REDIS_HOST || 'localhost',
      port: intSetting(env, 'REDIS_PORT', 6379, 1, 65535),
      ...(password ? { password } : {}),
    },
    maxItemBytes: intSetting(env, 'MAX_ITEM_BYTES', 64 * 1024, 1, 16 * 1024 * 1024),
    redisTimeoutMs: intSetting(env, 'REDIS_TIMEOUT_MS', 2000, 10, 60_000),
  };
}
