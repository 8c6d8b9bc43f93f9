/**
 * Command-line flags. The common case runs from flags alone, like fluent-bit's
 * `-i tail -p path=… -o stdout`:
 *   log-shipper --input '/var/log/nginx/*.log' --parser nginx --output stdout --state /var/lib/log-shipper
 * Flags are turned into the same raw document a YAML file gives, so one validator checks both.
 */
import { parseArgs } from 'node:util';
import { ShipperError } from '../errors.js';

export interface ParsedFlags {
  readonly configPath?: string;
  readonly help: boolean;
  readonly version: boolean;
  /** Raw document fragments the flags set; merged over the YAML file, if any. */
  readonly overrides: Record<string, unknown>;
  /** Whether the flags alone describe inputs (then no config file is needed). */
  readonly hasInputs: boolean;
}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  input: { type: 'string', short: 'i', multiple: true },
  exclude: { type: 'string', multiple: true },
  parser: { type: 'string', short: 'p' },
  output: { type: 'string', short: 'o', multiple: true },
  state: { type: 'string' },
  'read-from': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  metrics: { type: 'string' },
  'log-level': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export const USAGE = `Usage: log-shipper [--config FILE] [--input GLOB ...] [--parser P] [--output O ...] [--state DIR]

  -c, --config FILE       YAML configuration (also $LOG_SHIPPER_CONFIG, or the seed's $FLUENT_CONF)
  -i, --input GLOB        file glob to follow, e.g. '/var/log/nginx/*.log' (repeatable)
      --exclude GLOB      glob of files to skip (repeatable)
  -p, --parser P          nginx | combined | nginx_error | json | none | regex:PATTERN (default nginx)
  -o, --output O          stdout | file:PATH | http:URL | loki:URL | es:URL | syslog:HOST:PORT (repeatable)
      --state DIR         writable directory for checkpoints and the disk buffer
      --read-from W       head | tail: where to start in files never seen before (default head)
      --max-line-bytes N  longer lines are cut and marked truncated (default 102400)
      --metrics ADDR      host:port for /metrics and /health, or "off" (default 0.0.0.0:2020)
      --log-level L       debug | info | warn | error; -v is debug, -q is error
  -h, --help              this text
      --version           print the version`;

export function parseFlags(argv: readonly string[]): ParsedFlags {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true }));
  } catch (err) {
    throw new ShipperError('LS_ERR_FLAG', (err as Error).message);
  }
  const overrides: Record<string, unknown> = {};
  const inputs = values.input as string[] | undefined;
  const input: Record<string, unknown> = {};
  if (inputs) input.paths = inputs;
  if (values.exclude) input.exclude = values.exclude;
  if (values.parser !== undefined) input.parser = values.parser;
  if (values['read-from'] !== undefined) input.read_from = values['read-from'];
  if (values['max-line-bytes'] !== undefined)
    input.max_line_bytes = numeric(values['max-line-bytes'] as string);
  if (Object.keys(input).length > 0) overrides.inputs = [input];
  const outputs = values.output as string[] | undefined;
  if (outputs) overrides.outputs = outputs.map((spec, i) => outputFromSpec(spec, i, outputs));
  if (values.state !== undefined) overrides.state_dir = values.state;
  if (values.metrics !== undefined) {
    overrides.metrics = values.metrics === 'off' ? false : { listen: values.metrics };
  }
  if (values['log-level'] !== undefined) overrides.log_level = values['log-level'];
  if (values.verbose) overrides.log_level = 'debug';
  if (values.quiet) overrides.log_level = 'error';
  return {
    ...(values.config !== undefined ? { configPath: values.config as string } : {}),
    help: values.help === true,
    version: values.version === true,
    overrides,
    hasInputs: inputs !== undefined,
  };
}

function numeric(v: string): number | string {
  return /^\d+$/.test(v) ? Number(v) : v;
}

const PREFIXES: ReadonlyArray<readonly [string, string, string]> = [
  ['file:', 'file', 'path'],
  ['http:', 'http', 'url'],
  ['https:', 'http', 'url'],
  ['loki:', 'loki', 'url'],
  ['es:', 'elasticsearch', 'url'],
  ['elasticsearch:', 'elasticsearch', 'url'],
  ['syslog:', 'syslog', 'address'],
];

/** `http:URL` keeps the scheme: `http:http://sink/x` and `http://sink/x` both mean the URL. */
export function outputFromSpec(spec: string, index: number, all: readonly string[]): Record<string, unknown> {
  const sameType = (s: string): string =>
    s === 'stdout' ? 'stdout' : (PREFIXES.find(([p]) => s.startsWith(p))?.[1] ?? s);
  const type = sameType(spec);
  const name = all.filter((s) => sameType(s) === type).length > 1 ? `${type}-${index}` : type;
  if (spec === 'stdout') return { type: 'stdout', name };
  for (const [prefix, t, field] of PREFIXES) {
    if (!spec.startsWith(prefix)) continue;
    const value = t === 'http' && /^https?:\/\//.test(spec) ? spec : spec.slice(prefix.length);
    if (value === '') throw new ShipperError('LS_ERR_FLAG', `--output ${spec}: missing ${field}`);
    return { type: t, name, [field]: value };
  }
  throw new ShipperError(
    'LS_ERR_FLAG',
    `--output ${spec}: expected stdout, file:PATH, http:URL, loki:URL, es:URL or syslog:HOST:PORT`,
  );
}
