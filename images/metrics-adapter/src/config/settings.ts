/**
 * The adapter's settings, from flags over environment variables over the rules file over defaults.
 * `resolveSettings` is the one place that decides them; everything after it trusts the result.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import type { LogLevel } from '../log.js';
import { loadRulesFile } from '../rules/load-rules.js';
import type { RuleSet } from '../rules/rule.js';
import { SOURCE_FORMATS, type SourceFormat } from '../source/parse-body.js';
import { type ListenAddress, parseBytes, parseDuration, parseListen } from './values.js';

export interface Settings {
  readonly source: string;
  readonly listen: ListenAddress;
  readonly prefix: string;
  readonly rules: RuleSet;
  readonly rulesPath?: string;
  readonly format: SourceFormat;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly maxBytes: number;
  readonly textfile?: string;
  readonly textfileIntervalMs: number;
  readonly logLevel: LogLevel;
}

/** Flag name -> environment variable, default. Also the reference table in README.md. */
export const SETTINGS_TABLE = {
  source: { env: 'METRICS_ADAPTER_SOURCE', default: undefined },
  listen: { env: 'METRICS_ADAPTER_LISTEN', default: ':9090' },
  prefix: { env: 'METRICS_ADAPTER_PREFIX', default: 'legacy_' },
  rules: { env: 'METRICS_ADAPTER_RULES', default: undefined },
  format: { env: 'METRICS_ADAPTER_FORMAT', default: 'auto' },
  timeout: { env: 'METRICS_ADAPTER_TIMEOUT', default: '2s' },
  cache: { env: 'METRICS_ADAPTER_CACHE', default: '1s' },
  'max-bytes': { env: 'METRICS_ADAPTER_MAX_BYTES', default: '4MiB' },
  textfile: { env: 'METRICS_ADAPTER_TEXTFILE', default: undefined },
  'textfile-interval': { env: 'METRICS_ADAPTER_TEXTFILE_INTERVAL', default: '15s' },
  'log-level': { env: 'METRICS_ADAPTER_LOG_LEVEL', default: 'info' },
} as const;

type SettingName = keyof typeof SETTINGS_TABLE;

export const USAGE = `Usage: metrics-adapter --source URL|FILE [--listen HOST:PORT] [--prefix legacy_] [--rules FILE]

Serves a legacy app's stats as Prometheus metrics, fetched at scrape time.

  --source URL|FILE        http(s) URL or file of the legacy stats (required)      $METRICS_ADAPTER_SOURCE
  --listen HOST:PORT       where /metrics is served (default :9090)                $METRICS_ADAPTER_LISTEN
  --prefix P               prefix for exported names (default legacy_)            $METRICS_ADAPTER_PREFIX
  --rules FILE             YAML mapping rules                                      $METRICS_ADAPTER_RULES
  --format F               auto | text | json (default auto)                       $METRICS_ADAPTER_FORMAT
  --timeout D              source fetch timeout (default 2s)                       $METRICS_ADAPTER_TIMEOUT
  --cache D                reuse a fetch for this long (default 1s; 0 = never)     $METRICS_ADAPTER_CACHE
  --max-bytes N            largest source body accepted (default 4MiB)             $METRICS_ADAPTER_MAX_BYTES
  --textfile PATH.prom     also write node-exporter textfile output atomically     $METRICS_ADAPTER_TEXTFILE
  --textfile-interval D    how often to write it (default 15s)                     $METRICS_ADAPTER_TEXTFILE_INTERVAL
  --log-level L            debug | info | warn | error (default info)              $METRICS_ADAPTER_LOG_LEVEL
  -h, --help               this text
      --version            print the version`;

export type ParsedCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly settings: Settings };

export function resolveSettings(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommand {
  const options = Object.fromEntries(
    Object.keys(SETTINGS_TABLE).map((k) => [k, { type: 'string' as const }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
      allowPositionals: false,
      strict: true,
    }) as { values: Record<string, string | boolean | undefined> });
  } catch (err) {
    throw new ConfigError('command line', (err as Error).message);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  /** The raw value and the name to blame in errors (`--timeout` or `$METRICS_ADAPTER_TIMEOUT`). */
  const get = (name: SettingName): { value: string; setting: string } | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return { value: flag, setting: `--${name}` };
    const { env: envName } = SETTINGS_TABLE[name];
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, setting: `$${envName}` };
    return undefined;
  };
  const orDefault = (name: SettingName): { value: string; setting: string } =>
    get(name) ?? { value: String(SETTINGS_TABLE[name].default), setting: `--${name}` };

  const source = get('source');
  if (!source) throw new ConfigError('--source', `is required (or set $${SETTINGS_TABLE.source.env})`);
  if (source.value.trim() === '') throw new ConfigError(source.setting, 'must not be empty');
  const rulesArg = get('rules');
  const rules = rulesArg
    ? loadRulesFile(rulesArg.value)
    : { prefix: '', unmapped: 'keep' as const, rules: [] };
  const prefixArg = get('prefix');
  const prefix = prefixArg?.value ?? (rules.prefix !== '' ? rules.prefix : SETTINGS_TABLE.prefix.default);
  if (prefix !== '' && !/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(prefix)) {
    throw new ConfigError(prefixArg?.setting ?? '--prefix', `"${prefix}" is not a valid metric name prefix`);
  }
  const format = orDefault('format');
  if (!(SOURCE_FORMATS as readonly string[]).includes(format.value)) {
    throw new ConfigError(
      format.setting,
      `must be one of ${SOURCE_FORMATS.join(', ')}, got "${format.value}"`,
    );
  }
  const timeout = orDefault('timeout');
  const timeoutMs = parseDuration(timeout.value, timeout.setting);
  if (timeoutMs < 1) throw new ConfigError(timeout.setting, 'must be above 0');
  const cache = orDefault('cache');
  const textfileArg = get('textfile');
  if (textfileArg && !textfileArg.value.endsWith('.prom')) {
    throw new ConfigError(textfileArg.setting, 'must end in .prom (node-exporter only reads *.prom files)');
  }
  const interval = orDefault('textfile-interval');
  const textfileIntervalMs = parseDuration(interval.value, interval.setting);
  if (textfileIntervalMs < 100) throw new ConfigError(interval.setting, 'must be at least 100ms');
  const logLevel = orDefault('log-level');
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel.value)) {
    throw new ConfigError(logLevel.setting, `must be debug, info, warn or error, got "${logLevel.value}"`);
  }
  const listen = orDefault('listen');
  const maxBytes = orDefault('max-bytes');
  return {
    kind: 'run',
    settings: {
      source: source.value.trim(),
      listen: parseListen(listen.value, listen.setting),
      prefix,
      rules,
      ...(rulesArg ? { rulesPath: rulesArg.value } : {}),
      format: format.value as SourceFormat,
      timeoutMs,
      cacheMs: parseDuration(cache.value, cache.setting),
      maxBytes: parseBytes(maxBytes.value, maxBytes.setting),
      ...(textfileArg ? { textfile: textfileArg.value } : {}),
      textfileIntervalMs,
      logLevel: logLevel.value as LogLevel,
    },
  };
}
