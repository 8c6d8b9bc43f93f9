/**
 * Loads the configuration from, in decreasing precedence: command-line flags, environment variables, a
 * YAML/JSON config file (`--config` or AMBASSADOR_CONFIG), then defaults. Every problem throws
 * `ConfigError` naming the setting (as the flag, env var or file key the user wrote), so the program
 * fails at start with a message that points at the fix.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { type RawSettings, type ReadPolicy, type SettingName, settings } from './settings.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface TlsSettings {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly servername?: string;
  readonly rejectUnauthorized: boolean;
}

export interface Config {
  readonly listen: HostPort;
  readonly masters: readonly HostPort[];
  readonly replicas: readonly HostPort[];
  readonly sentinels: readonly HostPort[];
  readonly sentinelMaster: string;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: TlsSettings;
  readonly readPolicy: ReadPolicy;
  readonly readYourWrites: boolean;
  readonly readYourWritesWindowMs: number;
  readonly readYourWritesPollMs: number;
  readonly maxLagBytes: number;
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly dnsRefreshMs: number;
  readonly maxClients: number;
  readonly maxPipeline: number;
  readonly maxBulkBytes: number;
  readonly maxQueryBufferBytes: number;
  readonly maxArgs: number;
  readonly metricsListen?: HostPort;
  readonly logLevel: string;
  readonly shutdownTimeoutMs: number;
  readonly workers: number;
}

export interface ConfigSources {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Thrown for `--help`; main prints `usage()` and exits 0. */
export class HelpRequested extends Error {}

export function usage(): string {
  const lines = Object.values(settings).map(
    (s) =>
      `  --${s.flag.padEnd(28)} ${s.help} [env ${s.env.join(', ')}; default ${JSON.stringify(s.fallback)}]`,
  );
  return [
    'Usage: redis-ambassador [--config FILE] [--check] [flags]',
    '',
    '  --check                        check the configuration: resolve and ROLE every backend, print a',
    '                                 table, exit 0 when the master is reachable and a master, else 1',
    ...lines,
  ].join('\n');
}

export function loadConfig(sources: ConfigSources): Config {
  const names = Object.keys(settings) as SettingName[];
  const options: Record<string, { type: 'string' }> = { config: { type: 'string' } };
  for (const n of names) options[settings[n].flag] = { type: 'string' };
  let flags: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: withBareBooleans(sources.argv),
      // --check is main's business (check-config.ts); accepted here so it loads the same settings.
      options: { ...options, help: { type: 'boolean' }, check: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    flags = parsed.values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new ConfigError('command line', (e as Error).message);
  }
  if (flags.help) throw new HelpRequested();

  const configPath = (flags.config as string | undefined) ?? sources.env.AMBASSADOR_CONFIG;
  const file = configPath ? readConfigFile(configPath) : {};

  const raw = {} as Record<SettingName, unknown>;
  for (const n of names) {
    const s = settings[n];
    const fromFlag = flags[s.flag];
    const envName = s.env.find((e) => sources.env[e] !== undefined && sources.env[e] !== '');
    if (typeof fromFlag === 'string') raw[n] = s.parse(fromFlag, `--${s.flag}`);
    else if (envName) raw[n] = s.parse(sources.env[envName]!, envName);
    else if (file[s.key] !== undefined) raw[n] = s.parse(String(file[s.key]), `${configPath}: ${s.key}`);
    else raw[n] = s.fallback;
  }
  return validate(raw as RawSettings);
}

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', '1', '0']);

/** Lets boolean flags stand alone (`--tls`) as well as take a value (`--tls false`, `--tls=off`). */
function withBareBooleans(argv: readonly string[]): string[] {
  const booleanFlags = new Set(
    Object.values(settings)
      .filter((s) => typeof s.fallback === 'boolean')
      .map((s) => `--${s.flag}`),
  );
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    out.push(arg);
    const next = argv[i + 1];
    if (booleanFlags.has(arg) && (next === undefined || !BOOLEAN_WORDS.has(next.toLowerCase())))
      out.push('true');
  }
  return out;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('--config', `cannot read ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigError('--config', `${path} is not valid YAML/JSON: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError('--config', `${path} must hold a mapping`);
  const known = new Set(Object.values(settings).map((s) => s.key));
  for (const [key, value] of Object.entries(doc)) {
    if (!known.has(key)) throw new ConfigError(`${path}: ${key}`, 'unknown setting');
    if (Array.isArray(value)) (doc as Record<string, unknown>)[key] = value.join(',');
  }
  return doc as Record<string, unknown>;
}

/** Parses `host:port`, `[v6]:port`, `host` (with `defaultPort`). */
export function parseHostPort(text: string, defaultPort: number | undefined, setting: string): HostPort {
  const t = text.trim();
  let host = t;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(t);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
  } else if ((t.match(/:/g) ?? []).length === 1) {
    [host, portText] = t.split(':') as [string, string];
  }
  if (host === '' || /\s/.test(host)) throw new ConfigError(setting, `"${text}" has no valid host`);
  if (portText === undefined) {
    if (defaultPort === undefined) throw new ConfigError(setting, `"${text}" needs a :PORT`);
    return { host, port: defaultPort };
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    throw new ConfigError(setting, `"${text}" has an invalid port "${portText}"`);
  }
  return { host, port };
}

export function parseHostList(text: string, defaultPort: number, setting: string): HostPort[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => parseHostPort(p, defaultPort, setting));
}

function readSecretFile(path: string, setting: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigError(setting, `cannot read ${path}: ${(e as Error).message}`);
  }
}

function validate(r: RawSettings): Config {
  const listen = parseHostPort(r.listen, undefined, 'listen (--listen)');
  const masters = parseHostList(r.master, r.masterPort, 'REDIS_MASTER_HOST (--master)');
  const replicas = parseHostList(r.replicas, r.replicaPort, 'REDIS_REPLICA_HOST (--replicas)');
  const sentinels = parseHostList(r.sentinels, 26379, 'REDIS_SENTINEL_HOSTS (--sentinels)');
  if (masters.length === 0 && sentinels.length === 0) {
    throw new ConfigError('REDIS_MASTER_HOST (--master)', 'is required (or set --sentinels)');
  }
  let password = r.password === '' ? undefined : r.password;
  if (r.passwordFile !== '') {
    password = readSecretFile(r.passwordFile, 'REDIS_PASSWORD_FILE (--password-file)')
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (r.username !== '' && password === undefined) {
    throw new ConfigError('REDIS_USERNAME (--username)', 'needs a password as well');
  }
  const tlsFilesSet = r.tlsCaFile !== '' || r.tlsCertFile !== '' || r.tlsKeyFile !== '';
  if (tlsFilesSet && !r.tls) throw new ConfigError('REDIS_TLS (--tls)', 'TLS files are set but --tls is off');
  if ((r.tlsCertFile === '') !== (r.tlsKeyFile === '')) {
    throw new ConfigError('REDIS_TLS_KEY_FILE (--tls-key-file)', 'a client certificate and key go together');
  }
  const tls: TlsSettings | undefined = r.tls
    ? {
        ...(r.tlsCaFile ? { ca: readSecretFile(r.tlsCaFile, 'REDIS_TLS_CA_FILE (--tls-ca-file)') } : {}),
        ...(r.tlsCertFile
          ? { cert: readSecretFile(r.tlsCertFile, 'REDIS_TLS_CERT_FILE (--tls-cert-file)') }
          : {}),
        ...(r.tlsKeyFile ? { key: readSecretFile(r.tlsKeyFile, 'REDIS_TLS_KEY_FILE (--tls-key-file)') } : {}),
        ...(r.tlsServername ? { servername: r.tlsServername } : {}),
        rejectUnauthorized: !r.tlsInsecure,
      }
    : undefined;
  if (r.healthTimeoutMs > r.healthIntervalMs * 10) {
    throw new ConfigError('--health-timeout-ms', 'must be at most 10 x --health-interval-ms');
  }
  if (r.maxQueryBufferBytes < r.maxBulkBytes) {
    // A blocked client's next command may carry a bulk string of the largest size accepted.
    throw new ConfigError(
      '--max-query-buffer-bytes',
      `must be at least --max-bulk-bytes (${r.maxBulkBytes}), got ${r.maxQueryBufferBytes}`,
    );
  }
  const metricsListen =
    r.metricsListen === 'off' ? undefined : parseHostPort(r.metricsListen, undefined, '--metrics-listen');
  if (
    metricsListen &&
    metricsListen.port !== 0 &&
    metricsListen.port === listen.port &&
    metricsListen.host === listen.host
  ) {
    throw new ConfigError('--metrics-listen', 'must differ from --listen');
  }
  return {
    listen,
    masters,
    replicas,
    sentinels,
    sentinelMaster: r.sentinelMaster,
    ...(r.username ? { username: r.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls ? { tls } : {}),
    readPolicy: r.readPolicy,
    readYourWrites: r.readYourWrites,
    readYourWritesWindowMs: r.readYourWritesWindowMs,
    readYourWritesPollMs: r.readYourWritesPollMs,
    maxLagBytes: r.maxLagBytes,
    healthIntervalMs: r.healthIntervalMs,
    healthTimeoutMs: r.healthTimeoutMs,
    connectTimeoutMs: r.connectTimeoutMs,
    commandTimeoutMs: r.commandTimeoutMs,
    dnsRefreshMs: r.dnsRefreshMs,
    maxClients: r.maxClients,
    maxPipeline: r.maxPipeline,
    maxBulkBytes: r.maxBulkBytes,
    maxQueryBufferBytes: r.maxQueryBufferBytes,
    maxArgs: r.maxArgs,
    ...(metricsListen ? { metricsListen } : {}),
    logLevel: r.logLevel,
    shutdownTimeoutMs: r.shutdownTimeoutMs,
    workers: r.workers,
  };
}
