/**
 * Decides where the configuration comes from and returns it validated.
 *
 * Precedence: `--config FILE`, else flags alone when `--input` is given, else $LOG_SHIPPER_CONFIG,
 * else the seed's $FLUENT_CONF (relative names resolve in /etc/log-shipper, as fluentd resolves
 * FLUENTD_CONF in /fluentd/etc), else /etc/log-shipper/log-shipper.yaml, else the built-in
 * default: follow /var/log/nginx/*.log with the nginx parser and print records on stdout — what
 * the seed's `kubectl logs … -c log-shipper` expects. Flags always override the file's keys.
 * The seed's $FLUENT_OPT is read as extra flags (its `--verbose` means log level debug).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { ShipperError } from '../errors.js';
import { type ParsedFlags, parseFlags } from './flags.js';
import type { ShipperConfig } from './types.js';
import { validateConfig } from './validate.js';

export const CONFIG_DIR = '/etc/log-shipper';
export const DEFAULT_CONFIG_FILE = join(CONFIG_DIR, 'log-shipper.yaml');

export const BUILTIN_DEFAULT: Readonly<Record<string, unknown>> = {
  inputs: [{ paths: ['/var/log/nginx/*.log'], parser: 'nginx' }],
  outputs: [{ type: 'stdout' }],
};

export interface LoadedConfig {
  readonly config: ShipperConfig;
  readonly flags: ParsedFlags;
  /** Human-readable origin, logged at start. */
  readonly source: string;
  /** Non-fatal notes for the log (e.g. the seed's FLUENT_CONF names no file). */
  readonly warnings: readonly string[];
}

export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): LoadedConfig {
  const extra = (env.FLUENT_OPT ?? '').split(/\s+/).filter((s) => s !== '');
  const flags = parseFlags([...extra, ...argv]);
  const warnings: string[] = [];
  let base: Record<string, unknown>;
  let source: string;
  if (flags.configPath !== undefined) {
    base = readYaml(flags.configPath, '--config');
    source = flags.configPath;
  } else if (flags.hasInputs) {
    base = { outputs: [{ type: 'stdout' }] };
    source = 'flags';
  } else if (env.LOG_SHIPPER_CONFIG) {
    base = readYaml(env.LOG_SHIPPER_CONFIG, 'LOG_SHIPPER_CONFIG');
    source = env.LOG_SHIPPER_CONFIG;
  } else if (env.FLUENT_CONF) {
    const path = isAbsolute(env.FLUENT_CONF) ? env.FLUENT_CONF : join(CONFIG_DIR, env.FLUENT_CONF);
    if (existsSync(path)) {
      base = readYaml(path, 'FLUENT_CONF');
      source = path;
    } else {
      warnings.push(
        `FLUENT_CONF=${env.FLUENT_CONF}: ${path} does not exist; using the built-in nginx → stdout default`,
      );
      base = { ...BUILTIN_DEFAULT };
      source = 'built-in default';
    }
  } else if (existsSync(DEFAULT_CONFIG_FILE)) {
    base = readYaml(DEFAULT_CONFIG_FILE, DEFAULT_CONFIG_FILE);
    source = DEFAULT_CONFIG_FILE;
  } else {
    base = { ...BUILTIN_DEFAULT };
    source = 'built-in default';
  }
  const merged = mergeOverrides(base, flags.overrides);
  return { config: validateConfig(merged, env), flags, source, warnings };
}

/** Flag-given input keys (parser, read_from, …) apply to every input of the file. */
function mergeOverrides(base: Record<string, unknown>, o: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base, ...o };
  const flagInput = (o.inputs as Record<string, unknown>[] | undefined)?.[0];
  if (flagInput && flagInput.paths === undefined) {
    const fileInputs = Array.isArray(base.inputs) ? base.inputs : [];
    merged.inputs = fileInputs.map((i: unknown) => ({ ...(i as object), ...flagInput }));
  }
  return merged;
}

function readYaml(path: string, setting: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ShipperError('LS_ERR_CONFIG_FILE', `${setting}=${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = loadYamlLibrary().load(text, { filename: path });
  } catch (err) {
    throw new ShipperError('LS_ERR_CONFIG_FILE', `${setting}=${path}: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ShipperError('LS_ERR_CONFIG_FILE', `${setting}=${path}: expected a YAML mapping at the top`);
  }
  return doc as Record<string, unknown>;
}

type YamlLibrary = typeof import('js-yaml');
let yamlLibrary: YamlLibrary | undefined;

/**
 * js-yaml on first use: a run configured by flags alone never parses YAML, and the module costs
 * ~0.7 MiB resident once loaded (it cannot be unloaded). Loaded synchronously (its CommonJS
 * build) so that loadConfig stays synchronous.
 */
function loadYamlLibrary(): YamlLibrary {
  yamlLibrary ??= createRequire(import.meta.url)('js-yaml') as YamlLibrary;
  return yamlLibrary;
}
