// Environment of the legacy app, as the seed's pattern-3 Deployment sets it: METRICS_ENDPOINT
// "/admin/stats" and METRICS_FORMAT "custom" (the only format a legacy app of this kind has).
import { ConfigError } from './errors.js';

export interface LegacyAppConfig {
  /** Traffic port (the seed's containerPort 8080, "http"). */
  port: number;
  /** Stats port (the seed's containerPort 8888, "admin"). */
  adminPort: number;
  /** Empty means all interfaces: the adapter reaches the stats on localhost, Services on the pod IP. */
  host: string;
  statsPath: string;
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new ConfigError(`${name}: want an integer from 1 to 65535, got "${raw}"`, name);
  }
  return Number(raw);
}

export function loadConfig(env: NodeJS.ProcessEnv): LegacyAppConfig {
  const format = env.METRICS_FORMAT || 'custom';
  if (format !== 'custom') {
    throw new ConfigError(`METRICS_FORMAT: only "custom" is supported, got "${format}"`, 'METRICS_FORMAT');
  }
  const statsPath = env.METRICS_ENDPOINT || '/admin/stats';
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(statsPath)) {
    throw new ConfigError(
      `METRICS_ENDPOINT: want a URL path such as /admin/stats, got "${statsPath}"`,
      'METRICS_ENDPOINT',
    );
  }
  const config = {
    port: intSetting(env, 'PORT', 8080),
    adminPort: intSetting(env, 'ADMIN_PORT', 8888),
    host: env.HOST ?? '',
    statsPath,
  };
  if (config.port === config.adminPort) {
    throw new ConfigError(`ADMIN_PORT: must differ from PORT (both ${config.port})`, 'ADMIN_PORT');
  }
  return config;
}
