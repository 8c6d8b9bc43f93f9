/**
 * The settings table: every setting's name in the config file, its flag, its environment variable, its
 * default and its parser. config.ts reads sources through this table only, so the README's reference,
 * `--help` and error messages all name settings the same way.
 */
import { ConfigError } from '../errors.js';

export type ReadPolicy = 'round-robin' | 'least-outstanding';

export interface Setting<T> {
  /** Key in the YAML/JSON config file. */
  readonly key: string;
  readonly flag: string;
  readonly env: readonly string[];
  readonly help: string;
  readonly fallback: T;
  readonly parse: (raw: string, name: string) => T;
}

const int =
  (min: number, max: number) =>
  (raw: string, name: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `expected an integer, got "${raw}"`);
    const v = Number(raw);
    if (v < min || v > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${v}`);
    return v;
  };

const bool = (raw: string, name: string): boolean => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, `expected true/false, got "${raw}"`);
};

const text = (raw: string): string => raw;

const oneOf =
  <T extends string>(...choices: T[]) =>
  (raw: string, name: string): T => {
    if ((choices as string[]).includes(raw)) return raw as T;
    throw new ConfigError(name, `expected one of ${choices.join(', ')}, got "${raw}"`);
  };

const setting = <T>(s: Setting<T>): Setting<T> => s;

export const settings = {
  listen: setting({
    key: 'listen',
    flag: 'listen',
    env: ['AMBASSADOR_LISTEN'],
    help: 'HOST:PORT the app connects to',
    fallback: '127.0.0.1:6379',
    parse: text,
  }),
  master: setting({
    key: 'master',
    flag: 'master',
    env: ['REDIS_MASTER_HOST'],
    help: 'master: a DNS name (every address it resolves to) or host[:port],host[:port]',
    fallback: '',
    parse: text,
  }),
  masterPort: setting({
    key: 'masterPort',
    flag: 'master-port',
    env: ['REDIS_MASTER_PORT'],
    help: 'port for master entries that name none',
    fallback: 6379,
    parse: int(1, 65535),
  }),
  replicas: setting({
    key: 'replicas',
    flag: 'replicas',
    env: ['REDIS_REPLICA_HOST', 'REDIS_REPLICA_HOSTS'],
    help: 'replicas: a DNS name or host[:port],host[:port] (empty: reads go to the master)',
    fallback: '',
    parse: text,
  }),
  replicaPort: setting({
    key: 'replicaPort',
    flag: 'replica-port',
    env: ['REDIS_REPLICA_PORT'],
    help: 'port for replica entries that name none',
    fallback: 6379,
    parse: int(1, 65535),
  }),
  username: setting({
    key: 'username',
    flag: 'username',
    env: ['REDIS_USERNAME'],
    help: 'ACL user for backend connections',
    fallback: '',
    parse: text,
  }),
  password: setting({
    key: 'password',
    flag: 'password',
    env: ['REDIS_PASSWORD'],
    help: 'password for backend connections (prefer --password-file)',
    fallback: '',
    parse: text,
  }),
  passwordFile: setting({
    key: 'passwordFile',
    flag: 'password-file',
    env: ['REDIS_PASSWORD_FILE'],
    help: 'file holding the backend password (a mounted Secret)',
    fallback: '',
    parse: text,
  }),
  tls: setting({
    key: 'tls',
    flag: 'tls',
    env: ['REDIS_TLS'],
    help: 'use TLS to the backends',
    fallback: false,
    parse: bool,
  }),
  tlsCaFile: setting({
    key: 'tlsCaFile',
    flag: 'tls-ca-file',
    env: ['REDIS_TLS_CA_FILE'],
    help: 'CA bundle for backend certificates',
    fallback: '',
    parse: text,
  }),
  tlsCertFile: setting({
    key: 'tlsCertFile',
    flag: 'tls-cert-file',
    env: ['REDIS_TLS_CERT_FILE'],
    help: 'client certificate for backends',
    fallback: '',
    parse: text,
  }),
  tlsKeyFile: setting({
    key: 'tlsKeyFile',
    flag: 'tls-key-file',
    env: ['REDIS_TLS_KEY_FILE'],
    help: 'client key for backends',
    fallback: '',
    parse: text,
  }),
  tlsServername: setting({
    key: 'tlsServername',
    flag: 'tls-servername',
    env: ['REDIS_TLS_SERVERNAME'],
    help: 'SNI / certificate name to expect',
    fallback: '',
    parse: text,
  }),
  tlsInsecure: setting({
    key: 'tlsInsecure',
    flag: 'tls-insecure',
    env: ['REDIS_TLS_INSECURE'],
    help: 'do not verify backend certificates',
    fallback: false,
    parse: bool,
  }),
  sentinels: setting({
    key: 'sentinels',
    flag: 'sentinels',
    env: ['REDIS_SENTINEL_HOSTS'],
    help: 'Sentinel host[:port] list; the master is then whatever Sentinel names',
    fallback: '',
    parse: text,
  }),
  sentinelMaster: setting({
    key: 'sentinelMaster',
    flag: 'sentinel-master',
    env: ['REDIS_SENTINEL_MASTER'],
    help: 'master group name known to Sentinel',
    fallback: 'mymaster',
    parse: text,
  }),
  readPolicy: setting<ReadPolicy>({
    key: 'readPolicy',
    flag: 'read-policy',
    env: ['AMBASSADOR_READ_POLICY'],
    help: 'round-robin | least-outstanding',
    fallback: 'round-robin',
    parse: oneOf('round-robin', 'least-outstanding'),
  }),
  readYourWrites: setting({
    key: 'readYourWrites',
    flag: 'read-your-writes',
    env: ['AMBASSADOR_READ_YOUR_WRITES'],
    help: "after a write, send that client's reads to the master until a replica has the write",
    fallback: true,
    parse: bool,
  }),
  readYourWritesWindowMs: setting({
    key: 'readYourWritesWindowMs',
    flag: 'read-your-writes-window-ms',
    env: ['AMBASSADOR_READ_YOUR_WRITES_WINDOW_MS'],
    help: 'longest time reads stay on the master after a write',
    fallback: 2000,
    parse: int(0, 3_600_000),
  }),
  readYourWritesPollMs: setting({
    key: 'readYourWritesPollMs',
    flag: 'read-your-writes-poll-ms',
    env: ['AMBASSADOR_READ_YOUR_WRITES_POLL_MS'],
    help: "while a client's reads are held on the master, how often replicas' offsets are re-read",
    fallback: 5,
    parse: int(1, 1000),
  }),
  maxLagBytes: setting({
    key: 'maxLagBytes',
    flag: 'max-lag-bytes',
    env: ['AMBASSADOR_MAX_LAG_BYTES'],
    help: 'replication offset gap beyond which a replica gets no reads',
    fallback: 1024 * 1024,
    parse: int(0, Number.MAX_SAFE_INTEGER),
  }),
  healthIntervalMs: setting({
    key: 'healthIntervalMs',
    flag: 'health-interval-ms',
    env: ['AMBASSADOR_HEALTH_INTERVAL_MS'],
    help: 'how often every backend is checked with ROLE',
    fallback: 1000,
    parse: int(50, 60_000),
  }),
  healthTimeoutMs: setting({
    key: 'healthTimeoutMs',
    flag: 'health-timeout-ms',
    env: ['AMBASSADOR_HEALTH_TIMEOUT_MS'],
    help: 'a ROLE check slower than this marks the backend down',
    fallback: 1000,
    parse: int(10, 60_000),
  }),
  connectTimeoutMs: setting({
    key: 'connectTimeoutMs',
    flag: 'connect-timeout-ms',
    env: ['AMBASSADOR_CONNECT_TIMEOUT_MS'],
    help: 'backend connect (and TLS/AUTH handshake) timeout',
    fallback: 1000,
    parse: int(10, 60_000),
  }),
  commandTimeoutMs: setting({
    key: 'commandTimeoutMs',
    flag: 'command-timeout-ms',
    env: ['AMBASSADOR_COMMAND_TIMEOUT_MS'],
    help: 'a non-blocking command unanswered this long fails with -ERR (blocking ones are exempt)',
    fallback: 5000,
    parse: int(10, 3_600_000),
  }),
  dnsRefreshMs: setting({
    key: 'dnsRefreshMs',
    flag: 'dns-refresh-ms',
    env: ['AMBASSADOR_DNS_REFRESH_MS'],
    help: 'how often backend names are resolved again',
    fallback: 5000,
    parse: int(100, 3_600_000),
  }),
  maxClients: setting({
    key: 'maxClients',
    flag: 'max-clients',
    env: ['AMBASSADOR_MAX_CLIENTS'],
    help: 'client connections accepted at once',
    fallback: 10_000,
    parse: int(1, 1_000_000),
  }),
  maxPipeline: setting({
    key: 'maxPipeline',
    flag: 'max-pipeline',
    env: ['AMBASSADOR_MAX_PIPELINE'],
    help: 'unanswered commands per client before the ambassador stops reading from it',
    fallback: 4096,
    parse: int(1, 1_000_000),
  }),
  maxBulkBytes: setting({
    key: 'maxBulkBytes',
    flag: 'max-bulk-bytes',
    env: ['AMBASSADOR_MAX_BULK_BYTES'],
    help: 'largest bulk string accepted from a client (Redis proto-max-bulk-len)',
    fallback: 64 * 1024 * 1024,
    parse: int(1, 512 * 1024 * 1024),
  }),
  maxQueryBufferBytes: setting({
    key: 'maxQueryBufferBytes',
    flag: 'max-query-buffer-bytes',
    env: ['AMBASSADOR_MAX_QUERY_BUFFER_BYTES'],
    help: 'input held for a client blocked in BLPOP & co before it is closed (Redis client-query-buffer-limit)',
    fallback: 128 * 1024 * 1024,
    parse: int(4 * 1024 * 1024, 1024 * 1024 * 1024),
  }),
  maxArgs: setting({
    key: 'maxArgs',
    flag: 'max-args',
    env: ['AMBASSADOR_MAX_ARGS'],
    help: 'most arguments accepted in one command',
    fallback: 1024 * 1024,
    parse: int(1, 1024 * 1024 * 1024),
  }),
  metricsListen: setting({
    key: 'metricsListen',
    flag: 'metrics-listen',
    env: ['AMBASSADOR_METRICS_LISTEN'],
    help: 'HOST:PORT for /metrics and /healthz, or "off"',
    fallback: '0.0.0.0:9121',
    parse: text,
  }),
  logLevel: setting({
    key: 'logLevel',
    flag: 'log-level',
    env: ['AMBASSADOR_LOG_LEVEL'],
    help: 'trace | debug | info | warn | error',
    fallback: 'info',
    parse: oneOf('trace', 'debug', 'info', 'warn', 'error'),
  }),
  workers: setting({
    key: 'workers',
    flag: 'workers',
    env: ['AMBASSADOR_WORKERS'],
    help: 'processes sharing the listen port (node:cluster); metrics are summed by the primary',
    fallback: 1,
    parse: int(1, 64),
  }),
  shutdownTimeoutMs: setting({
    key: 'shutdownTimeoutMs',
    flag: 'shutdown-timeout-ms',
    env: ['AMBASSADOR_SHUTDOWN_TIMEOUT_MS'],
    help: 'on SIGTERM, how long in-flight replies may take before connections are closed',
    fallback: 2000,
    parse: int(0, 600_000),
  }),
} as const;

export type SettingName = keyof typeof settings;
export type RawSettings = { -readonly [K in SettingName]: (typeof settings)[K]['fallback'] };
