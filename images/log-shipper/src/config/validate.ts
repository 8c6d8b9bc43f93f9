/**
 * Turns the raw YAML document (or the object config/flags.ts builds) into a ShipperConfig.
 * Contract: either returns a complete config or throws ConfigError naming the offending key.
 * Defaults follow the anchors where users expect them (see README "Configuration").
 */
import { ConfigError } from '../errors.js';
import {
  asObj,
  bool,
  duration,
  int,
  isObj,
  join,
  type Obj,
  oneOf,
  rejectUnknown,
  size,
  str,
  strList,
  strMap,
} from './reader.js';
import type {
  EnrichConfig,
  HttpFormat,
  InputConfig,
  LogLevel,
  OutputConfig,
  ParserSpec,
  ShipperConfig,
} from './types.js';

export const DEFAULT_STATE_DIR = '/var/lib/log-shipper';
export const DEFAULT_METRICS_LISTEN = '0.0.0.0:2020';
/** Vector's `max_line_bytes` default. */
export const DEFAULT_MAX_LINE_BYTES = 102_400;

const TOP_KEYS = [
  'inputs',
  'outputs',
  'state_dir',
  'batch',
  'retry',
  'buffer',
  'metrics',
  'enrich',
  'log_level',
  'keep_raw',
  'shutdown_grace',
] as const;

export function validateConfig(raw: unknown, env: NodeJS.ProcessEnv): ShipperConfig {
  const root = asObj(raw, '(document)');
  rejectUnknown(root, '', TOP_KEYS);
  const inputs = list(root, 'inputs').map((v, i) => validateInput(v, `inputs[${i}]`));
  const outputs = list(root, 'outputs').map((v, i) => validateOutput(v, `outputs[${i}]`));
  const names = new Set<string>();
  outputs.forEach((o, i) => {
    if (names.has(o.name)) throw new ConfigError(`outputs[${i}].name`, `duplicate output name "${o.name}"`);
    names.add(o.name);
  });
  const batch = asObj(root.batch, 'batch');
  rejectUnknown(batch, 'batch', ['max_events', 'max_bytes', 'timeout']);
  const retry = asObj(root.retry, 'retry');
  rejectUnknown(retry, 'retry', ['initial_backoff', 'max_backoff']);
  const buffer = asObj(root.buffer, 'buffer');
  rejectUnknown(buffer, 'buffer', ['max_memory_batches', 'max_disk_bytes']);
  const initialBackoffMs = duration(retry, 'initial_backoff', 'retry', 250, 1);
  const maxBackoffMs = duration(retry, 'max_backoff', 'retry', 30_000, 1);
  if (maxBackoffMs < initialBackoffMs) {
    throw new ConfigError('retry.max_backoff', 'must not be shorter than retry.initial_backoff');
  }
  const batchMaxBytes = size(batch, 'max_bytes', 'batch', 1024 ** 2, 1024, 64 * 1024 ** 2);
  return {
    inputs,
    outputs,
    stateDir: str(root, 'state_dir', '', DEFAULT_STATE_DIR),
    batch: {
      maxEvents: int(batch, 'max_events', 'batch', 5000, 1, 1_000_000),
      maxBytes: batchMaxBytes,
      timeoutMs: duration(batch, 'timeout', 'batch', 1000, 1),
    },
    retry: { initialBackoffMs, maxBackoffMs },
    buffer: {
      maxMemoryBatches: int(buffer, 'max_memory_batches', 'buffer', 2, 1, 1000),
      maxDiskBytes: size(buffer, 'max_disk_bytes', 'buffer', 256 * 1024 ** 2, batchMaxBytes * 2, 2 ** 50),
    },
    metricsListen: validateMetrics(root.metrics),
    enrich: validateEnrich(root.enrich, env),
    logLevel: oneOf<LogLevel>(root, 'log_level', '', ['debug', 'info', 'warn', 'error'], 'info'),
    keepRaw: bool(root, 'keep_raw', '', false),
    shutdownGraceMs: duration(root, 'shutdown_grace', '', 5000, 0),
  };
}

function list(root: Obj, k: string): unknown[] {
  const v = root[k];
  if (!Array.isArray(v) || v.length === 0) throw new ConfigError(k, 'expected a non-empty list');
  return v;
}

function validateInput(v: unknown, key: string): InputConfig {
  if (!isObj(v)) throw new ConfigError(key, 'expected a mapping');
  rejectUnknown(v, key, [
    'path',
    'paths',
    'exclude',
    'parser',
    'read_from',
    'max_line_bytes',
    'scan_interval',
    'poll_interval',
    'rotate_wait',
  ]);
  const paths = [...strList(v, 'path', key), ...strList(v, 'paths', key)];
  if (paths.length === 0)
    throw new ConfigError(join(key, 'paths'), 'required (a glob such as /var/log/nginx/*.log)');
  paths.forEach((p, i) => {
    if (!p.startsWith('/')) throw new ConfigError(`${key}.paths[${i}]`, `"${p}" must be an absolute path`);
  });
  return {
    paths,
    exclude: strList(v, 'exclude', key),
    parser: parseParserSpec(v.parser ?? 'nginx', join(key, 'parser')),
    readFrom: oneOf(v, 'read_from', key, ['head', 'tail'], 'head'),
    maxLineBytes: size(v, 'max_line_bytes', key, DEFAULT_MAX_LINE_BYTES, 64, 64 * 1024 ** 2),
    scanIntervalMs: duration(v, 'scan_interval', key, 1000, 10),
    pollIntervalMs: duration(v, 'poll_interval', key, 250, 5),
    rotateWaitMs: duration(v, 'rotate_wait', key, 5000, 0),
  };
}

const PARSER_KINDS = ['nginx', 'combined', 'nginx_error', 'json', 'none'] as const;

/** Accepts `nginx`, `combined`, `nginx_error`, `json`, `none`, `regex:PATTERN` or `{regex: PATTERN}`. */
export function parseParserSpec(v: unknown, key: string): ParserSpec {
  let pattern: string | undefined;
  if (isObj(v)) {
    rejectUnknown(v, key, ['regex']);
    pattern = str(v, 'regex', key);
  } else if (typeof v === 'string' && v.startsWith('regex:')) {
    pattern = v.slice('regex:'.length);
  } else if (typeof v === 'string' && (PARSER_KINDS as readonly string[]).includes(v)) {
    return { kind: v as (typeof PARSER_KINDS)[number] };
  } else {
    throw new ConfigError(
      key,
      `expected one of ${PARSER_KINDS.join(', ')}, regex:PATTERN; got ${JSON.stringify(v)}`,
    );
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new ConfigError(key, `bad regular expression: ${(err as Error).message}`);
  }
  if (!/\(\?<[A-Za-z_]/.test(re.source))
    throw new ConfigError(key, 'the regex needs at least one named group (?<name>…)');
  return { kind: 'regex', pattern };
}

const OUTPUT_TYPES = ['stdout', 'file', 'http', 'loki', 'elasticsearch', 'syslog'] as const;

function validateOutput(v: unknown, key: string): OutputConfig {
  if (!isObj(v)) throw new ConfigError(key, 'expected a mapping');
  const type = oneOf(v, 'type', key, OUTPUT_TYPES, 'stdout');
  const name = str(v, 'name', key, type);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new ConfigError(join(key, 'name'), 'use letters, digits, _ . -');
  switch (type) {
    case 'stdout':
      rejectUnknown(v, key, ['type', 'name']);
      return { type, name };
    case 'file':
      rejectUnknown(v, key, ['type', 'name', 'path']);
      return { type, name, path: str(v, 'path', key) };
    case 'syslog': {
      rejectUnknown(v, key, ['type', 'name', 'address', 'app_name', 'facility', 'timeout']);
      const { host, port } = parseTcpAddress(str(v, 'address', key), join(key, 'address'));
      return {
        type,
        name,
        host,
        port,
        appName: str(v, 'app_name', key, 'log-shipper'),
        facility: int(v, 'facility', key, 16, 0, 23),
        timeoutMs: duration(v, 'timeout', key, 10_000, 1),
      };
    }
    default: {
      rejectUnknown(v, key, ['type', 'name', 'url', 'format', 'headers', 'labels', 'index', 'timeout']);
      const url = str(v, 'url', key);
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new ConfigError(join(key, 'url'), `"${url}" is not a URL`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new ConfigError(join(key, 'url'), 'expected an http:// or https:// URL');
      }
      const implied: HttpFormat = type === 'http' ? 'json' : type;
      const format = oneOf<HttpFormat>(v, 'format', key, ['json', 'loki', 'elasticsearch'], implied);
      return {
        type: 'http',
        name,
        url: withDefaultPath(parsed, format),
        format,
        headers: strMap(v, 'headers', key),
        labels: strMap(v, 'labels', key),
        index: str(v, 'index', key, 'logs'),
        timeoutMs: duration(v, 'timeout', key, 10_000, 1),
      };
    }
  }
}

/** `loki:http://loki:3100` means the push endpoint, as in Promtail's client config. */
function withDefaultPath(url: URL, format: HttpFormat): string {
  if (url.pathname === '/' && format === 'loki') url.pathname = '/loki/api/v1/push';
  if (url.pathname === '/' && format === 'elasticsearch') url.pathname = '/_bulk';
  return url.toString();
}

/** `host:port`, `tcp://host:port` or `[v6]:port`; port 0 ("any free port") only when `allowZero`. */
export function parseTcpAddress(
  address: string,
  key: string,
  allowZero = false,
): { host: string; port: number } {
  const m = /^(?:tcp:\/\/)?(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(address);
  const port = m ? Number(m[2]) : -1;
  if (!m || port < (allowZero ? 0 : 1) || port > 65535)
    throw new ConfigError(key, `"${address}" is not host:port`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function validateMetrics(v: unknown): string | null {
  if (v === false) return null;
  const m = asObj(v, 'metrics');
  rejectUnknown(m, 'metrics', ['listen', 'enabled']);
  if (!bool(m, 'enabled', 'metrics', true)) return null;
  const listen = str(m, 'listen', 'metrics', DEFAULT_METRICS_LISTEN);
  parseTcpAddress(listen, 'metrics.listen', true);
  return listen;
}

const ENRICH_DEFAULT_ENV = {
  pod: 'POD_NAME',
  namespace: 'POD_NAMESPACE',
  container: 'CONTAINER_NAME',
  node: 'NODE_NAME',
} as const;

/** Reads pod/namespace/container/node from the downward-API env; `enrich.<field>_env` renames the variable. */
function validateEnrich(v: unknown, env: NodeJS.ProcessEnv): EnrichConfig {
  const e = asObj(v, 'enrich');
  rejectUnknown(e, 'enrich', ['pod_env', 'namespace_env', 'container_env', 'node_env']);
  const out: Record<string, string> = {};
  for (const [field, fallback] of Object.entries(ENRICH_DEFAULT_ENV)) {
    const value = env[str(e, `${field}_env`, 'enrich', fallback)];
    if (value) out[field] = value;
  }
  return out;
}
