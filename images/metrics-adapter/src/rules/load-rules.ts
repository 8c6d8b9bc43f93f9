/**
 * Reads and validates a rules file (YAML). Unknown keys are errors, not silently ignored, because a
 * misspelt `lables:` that does nothing is the "mapping not working" report statsd_exporter users file
 * (statsd_exporter #56, #209). Every error names the setting: `--rules mappings[2].type: ...`.
 *
 *   prefix: legacy_          # optional; the --prefix flag wins over it
 *   unmapped: keep           # keep | drop samples no rule matches
 *   mappings:
 *     - match: requests_total            # exact name, glob (a*, a.**) or regex with match_type: regex
 *       name: http_requests_total        # may use $1, ${1}, ${name}
 *       type: counter                    # counter | gauge | untyped; default from the `_total` suffix
 *       help: Requests served.
 *       labels: { role: primary, shard: "$1" }
 *       values: { OK: 0, FAIL: 1 }       # string states to numbers
 *       value_label: version             # export 1 with the raw value as this label
 *       prefix: false                    # skip the global prefix for this rule
 *       action: drop                     # drop matching samples
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { parseNumber } from '../source/value.js';
import {
  MATCH_TYPES,
  type MatchType,
  METRIC_TYPES,
  type MetricType,
  type RuleSet,
  type RuleSpec,
} from './rule.js';

const TOP_KEYS = new Set(['prefix', 'unmapped', 'mappings']);
const RULE_KEYS = new Set([
  'match',
  'match_type',
  'name',
  'prefix',
  'type',
  'help',
  'labels',
  'values',
  'value_label',
  'action',
]);
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_RULES = 10_000;

export function loadRulesFile(path: string): RuleSet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      '--rules',
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError('--rules', `${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseRuleSet(doc ?? {}, '--rules');
}

/** Validates a parsed document; `setting` prefixes every error (`--rules`). */
export function parseRuleSet(doc: unknown, setting: string): RuleSet {
  const at = (path: string): string => `${setting} ${path}`;
  if (!isRecord(doc))
    throw new ConfigError(setting, 'the rules file must be a mapping with a `mappings` list');
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.has(key))
      throw new ConfigError(at(key), `unknown key (expected one of ${[...TOP_KEYS].join(', ')})`);
  }
  const prefix = doc.prefix === undefined ? '' : stringField(doc.prefix, at('prefix'));
  if (prefix !== '' && !/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(prefix)) {
    throw new ConfigError(at('prefix'), `"${prefix}" is not a valid metric name prefix`);
  }
  const unmapped = doc.unmapped === undefined ? 'keep' : stringField(doc.unmapped, at('unmapped'));
  if (unmapped !== 'keep' && unmapped !== 'drop')
    throw new ConfigError(at('unmapped'), 'must be keep or drop');
  const list = doc.mappings ?? [];
  if (!Array.isArray(list)) throw new ConfigError(at('mappings'), 'must be a list');
  if (list.length > MAX_RULES)
    throw new ConfigError(at('mappings'), `has ${list.length} rules; the limit is ${MAX_RULES}`);
  const rules = list.map((raw, i) => parseRule(raw, `mappings[${i}]`, at));
  return { prefix, unmapped, rules };
}

function parseRule(raw: unknown, where: string, at: (path: string) => string): RuleSpec {
  if (!isRecord(raw)) throw new ConfigError(at(where), 'must be a mapping with at least `match`');
  for (const key of Object.keys(raw)) {
    if (!RULE_KEYS.has(key))
      throw new ConfigError(
        at(`${where}.${key}`),
        `unknown key (expected one of ${[...RULE_KEYS].join(', ')})`,
      );
  }
  if (raw.match === undefined) throw new ConfigError(at(`${where}.match`), 'is required');
  const match = stringField(raw.match, at(`${where}.match`));
  if (match === '') throw new ConfigError(at(`${where}.match`), 'must not be empty');
  const matchType = (
    raw.match_type === undefined
      ? /[*?]/.test(match)
        ? 'glob'
        : 'exact'
      : oneOf(raw.match_type, MATCH_TYPES, at(`${where}.match_type`))
  ) as MatchType;
  const action =
    raw.action === undefined ? 'map' : oneOf(raw.action, ['map', 'drop'] as const, at(`${where}.action`));
  const spec: {
    -readonly [K in keyof RuleSpec]: RuleSpec[K];
  } = { where, match, matchType, action, usePrefix: true, labels: [] };
  if (raw.name !== undefined) spec.name = stringField(raw.name, at(`${where}.name`));
  if (raw.prefix !== undefined) spec.usePrefix = booleanField(raw.prefix, at(`${where}.prefix`));
  if (raw.type !== undefined) spec.type = oneOf(raw.type, METRIC_TYPES, at(`${where}.type`)) as MetricType;
  if (raw.help !== undefined) spec.help = stringField(raw.help, at(`${where}.help`));
  if (raw.labels !== undefined) {
    if (!isRecord(raw.labels))
      throw new ConfigError(at(`${where}.labels`), 'must be a mapping of label name to value');
    spec.labels = Object.entries(raw.labels).map(([k, v]) => {
      if (!LABEL_NAME.test(k) || k.startsWith('__')) {
        throw new ConfigError(
          at(`${where}.labels.${k}`),
          'is not a valid label name ([A-Za-z_][A-Za-z0-9_]*, no leading __)',
        );
      }
      return [k, scalarText(v, at(`${where}.labels.${k}`))] as const;
    });
  }
  if (raw.values !== undefined) {
    if (!isRecord(raw.values))
      throw new ConfigError(at(`${where}.values`), 'must be a mapping of state to number');
    const values = new Map<string, number>();
    for (const [state, v] of Object.entries(raw.values)) {
      const n = typeof v === 'number' ? v : typeof v === 'string' ? parseNumber(v) : undefined;
      if (n === undefined)
        throw new ConfigError(at(`${where}.values.${state}`), `must be a number, got ${JSON.stringify(v)}`);
      values.set(state, n);
    }
    spec.values = values;
  }
  if (raw.value_label !== undefined) {
    const label = stringField(raw.value_label, at(`${where}.value_label`));
    if (!LABEL_NAME.test(label))
      throw new ConfigError(at(`${where}.value_label`), `"${label}" is not a valid label name`);
    if (spec.values) throw new ConfigError(at(`${where}.value_label`), 'cannot be combined with values');
    spec.valueLabel = label;
  }
  return spec;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringField(v: unknown, setting: string): string {
  if (typeof v !== 'string') throw new ConfigError(setting, `must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function scalarText(v: unknown, setting: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ConfigError(setting, `must be a string, got ${JSON.stringify(v)}`);
}

function booleanField(v: unknown, setting: string): boolean {
  if (typeof v !== 'boolean')
    throw new ConfigError(setting, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], setting: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(setting, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}
