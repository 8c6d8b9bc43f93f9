// Command line and environment of the cache warmer. The seed passes REDIS_HOST and REDIS_PORT; the
// rest are optional. Every invalid value fails at start with a message naming the setting.

import { parseDurationMs } from './duration.js';
import { ConfigError } from './errors.js';

export interface WarmerConfig {
  file: string;
  /** Overall deadline for Redis to answer PING, in ms. */
  timeoutMs: number;
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  /** Prints what would change without writing. */
  dryRun: boolean;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

export const USAGE = `Usage: cache-warmer --file ENTRIES [--timeout DURATION] [--dry-run]

Waits for Redis (PING, backoff, overall deadline), then loads the entries of a YAML or JSON file,
pipelined and idempotently, and prints what it loaded. Exit 0 only when every entry is in place.

Flags:
  --file PATH         entries file (YAML or JSON)                        (required)
  --timeout DURATION  how long to wait for Redis, e.g. 30s, 2m            (default 60s)
  --dry-run           compare only: print what would be loaded, write nothing
  --help, --version

Environment:
  REDIS_HOST      (default localhost)   REDIS_PORT     (default 6379)
  REDIS_PASSWORD  (optional)            REDIS_USERNAME (optional, Redis 6 ACL user)
  REDIS_DB        (default 0)
`;

export type ParsedArgs = { kind: 'run'; config: WarmerConfig } | { kind: 'help' } | { kind: 'version' };

function intSetting(value: string, setting: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${setting}: want an integer from ${min} to ${max}, got "${value}"`, setting);
  }
  return Number(value);
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedArgs {
  let file: string | undefined;
  let timeout: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] =
      arg.startsWith('--') || arg.startsWith('-') ? splitEq(arg.replace(/^--?/, '')) : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new ConfigError(`--${name} needs a value`, `--${name}`);
      return next;
    };
    switch (name) {
      case 'file':
      case 'f':
        file = value();
        break;
      case 'timeout':
        timeout = value();
        break;
      case 'dry-run':
        dryRun = true;
        break;
      case 'help':
      case 'h':
        return { kind: 'help' };
      case 'version':
        return { kind: 'version' };
      default:
        throw new ConfigError(`unknown argument "${arg}"`, arg);
    }
  }
  if (!file) throw new ConfigError('--file is required (the entries file to load)', '--file');
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (timeout !== undefined) {
    const ms = parseDurationMs(timeout);
    if (ms === undefined || ms <= 0)
      throw new ConfigError(`--timeout: want a duration like 30s or 2m, got "${timeout}"`, '--timeout');
    timeoutMs = ms;
  }
  const host = (env.REDIS_HOST ?? '').trim() || 'localhost';
  const port = env.REDIS_PORT ? intSetting(env.REDIS_PORT, 'REDIS_PORT', 1, 65535) : 6379;
  const db = env.REDIS_DB ? intSetting(env.REDIS_DB, 'REDIS_DB', 0, 1_000_000) : 0;
  return {
    kind: 'run',
    config: {
      file,
      timeoutMs,
      host,
      port,
      db,
      dryRun,
      ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
      ...(env.REDIS_USERNAME ? { username: env.REDIS_USERNAME } : {}),
    },
  };
}

function splitEq(s: string): [string, string | undefined] {
  const i = s.indexOf('=');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
