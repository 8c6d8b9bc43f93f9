// Turns golang-migrate's `-database` URL into a node-postgres configuration plus the driver's own
// `x-` options. Contract (matching golang-migrate + lib/pq v1.10):
//  - scheme postgres:// or postgresql://;
//  - `x-*` parameters are the driver's (x-migrations-table, x-migrations-table-quoted,
//    x-statement-timeout, x-multi-statement, x-multi-statement-max-size) and are never sent to the server;
//    unknown `x-*` are ignored, as golang-migrate's FilterCustomQuery drops them;
//  - sslmode defaults to `require` (lib/pq's default, not libpq's `prefer`); `require` encrypts without
//    verifying, `verify-ca` checks the chain, `verify-full` also the host name;
//  - other parameters (search_path, statement_timeout, ...) become server run-time parameters, the way
//    lib/pq sends unknown keys in the startup packet.
import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import { ConfigError } from '../errors.js';

export interface DriverOptions {
  migrationsTable: string;
  migrationsTableQuoted: boolean;
  statementTimeoutMs: number;
  multiStatement: boolean;
  multiStatementMaxSize: number;
  /** podbay: run each migration and its version row in one transaction (default true). */
  useTransaction: boolean;
}

export interface DatabaseTarget {
  client: ClientConfig;
  options: DriverOptions;
  /** The URL's decoded path with its leading slash: golang-migrate's DatabaseName (lock key input). */
  urlPath: string;
  /** host:port for messages, never with the password. */
  display: string;
}

const DEFAULT_MULTI_STATEMENT_MAX = 10 * (1 << 20);
const LIBPQ_CONNECTION_KEYS = new Set([
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'connect_timeout',
  'application_name',
  'fallback_application_name',
  'host',
  'port',
  'user',
  'password',
  'dbname',
]);

function parseBool(value: string, setting: string): boolean {
  // Go's strconv.ParseBool
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new ConfigError(`Unable to parse option ${setting}: invalid boolean "${value}"`, setting);
}

function parseInt10(value: string, setting: string): number {
  if (!/^-?\d+$/.test(value))
    throw new ConfigError(`Unable to parse option ${setting}: "${value}" is not an integer`, setting);
  return Number(value);
}

export function parseDatabaseUrl(raw: string): DatabaseTarget {
  if (raw === '') throw new ConfigError('URL cannot be empty', '-database');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      '-database: not a valid URL (want postgres://user:pass@host:5432/db?sslmode=disable)',
      '-database',
    );
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    throw new ConfigError(
      `unknown driver ${scheme} (forgotten import?); this build serves postgres:// only`,
      '-database',
    );
  }
  const q = url.searchParams;
  const options: DriverOptions = {
    migrationsTable: q.get('x-migrations-table') ?? '',
    migrationsTableQuoted: q.has('x-migrations-table-quoted')
      ? parseBool(q.get('x-migrations-table-quoted') as string, 'x-migrations-table-quoted')
      : false,
    statementTimeoutMs: q.has('x-statement-timeout')
      ? parseInt10(q.get('x-statement-timeout') as string, 'x-statement-timeout')
      : 0,
    multiStatement: q.has('x-multi-statement')
      ? parseBool(q.get('x-multi-statement') as string, 'x-multi-statement')
      : false,
    multiStatementMaxSize: DEFAULT_MULTI_STATEMENT_MAX,
    useTransaction: q.has('x-use-transaction')
      ? parseBool(q.get('x-use-transaction') as string, 'x-use-transaction')
      : true,
  };
  if (q.has('x-multi-statement-max-size')) {
    const n = parseInt10(q.get('x-multi-statement-max-size') as string, 'x-multi-statement-max-size');
    options.multiStatementMaxSize = n > 0 ? n : DEFAULT_MULTI_STATEMENT_MAX;
  }
  const t = options.migrationsTable;
  if (t !== '' && options.migrationsTableQuoted && (t[0] !== '"' || t[t.length - 1] !== '"')) {
    throw new ConfigError(
      `x-migrations-table must be quoted (for instance '"migrate"."schema_migrations"') when x-migrations-table-quoted is enabled, current value is: ${t}`,
      'x-migrations-table',
    );
  }

  const urlPath = decodeURIComponent(url.pathname);
  const client: ClientConfig = {
    host: q.get('host') ?? (decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')) || 'localhost'),
    port: q.has('port') ? parseInt10(q.get('port') as string, 'port') : url.port ? Number(url.port) : 5432,
    user:
      q.get('user') ??
      (decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || 'postgres'),
    password: q.get('password') ?? decodeURIComponent(url.password),
    database: q.get('dbname') ?? (urlPath.replace(/^\//, '') || undefined),
    application_name: q.get('application_name') ?? q.get('fallback_application_name') ?? 'migrate',
  };
  if (q.has('connect_timeout')) {
    client.connectionTimeoutMillis = parseInt10(q.get('connect_timeout') as string, 'connect_timeout') * 1000;
  }
  client.ssl = sslConfig(q);
  const runtime: string[] = [];
  for (const [key, value] of q) {
    if (key.startsWith('x-') || LIBPQ_CONNECTION_KEYS.has(key)) continue;
    runtime.push(`-c ${key}=${value.replace(/([\\ ])/g, '\\$1')}`);
  }
  if (runtime.length > 0) client.options = runtime.join(' ');
  return { client, options, urlPath, display: `${client.host}:${client.port}${urlPath}` };
}

function sslConfig(q: URLSearchParams): ClientConfig['ssl'] {
  const mode = q.get('sslmode') ?? 'require';
  const files = {
    ...(q.get('sslrootcert') ? { ca: readFileSync(q.get('sslrootcert') as string) } : {}),
    ...(q.get('sslcert') ? { cert: readFileSync(q.get('sslcert') as string) } : {}),
    ...(q.get('sslkey') ? { key: readFileSync(q.get('sslkey') as string) } : {}),
  };
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      // lib/pq: with a root cert `require` behaves as verify-ca, otherwise no verification.
      return files.ca
        ? { ...files, checkServerIdentity: () => undefined }
        : { ...files, rejectUnauthorized: false };
    case 'verify-ca':
      return { ...files, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...files };
    default:
      throw new ConfigError(
        `unsupported sslmode "${mode}" (want disable, require, verify-ca or verify-full)`,
        'sslmode',
      );
  }
}

/** Splits x-migrations-table into (schema override, table) as golang-migrate's WithConnection does. */
export function migrationsTableName(options: DriverOptions): { schema?: string; table: string } {
  const table = options.migrationsTable || 'schema_migrations';
  if (!options.migrationsTableQuoted) return { table };
  const parts = [...table.matchAll(/"(.*?)"/g)].map((m) => m[1] as string);
  if (parts.length > 2)
    throw new ConfigError(
      `"${table}" MigrationsTable contains too many dot characters`,
      'x-migrations-table',
    );
  if (parts.length === 2) return { schema: parts[0] as string, table: parts[1] as string };
  return { table: parts[parts.length - 1] ?? table };
}
