/**
 * Refuses, at start, a rule set whose outputs would clash at scrape time. statsd_exporter discovers
 * these one sample at a time and logs "should be a Summary" / "inconsistent label cardinality"
 * (statsd_exporter #114, #224); we find every clash we can decide statically and name both rules.
 *
 * Decidable statically: rules whose output name does not depend on the source name (a literal `name`,
 * or an exact `match` without `name`). Clashes between names built from captures can only be seen at
 * scrape time; the mapper drops those samples and counts them (reason `type_conflict`/`label_conflict`).
 */
import { RuleClashError } from '../errors.js';
import { exportedName, inferType, sanitizeName } from '../mapping/metric-name.js';
import type { CompiledRule } from './compile.js';
import { describeRule, type MetricType } from './rule.js';

interface StaticOutput {
  readonly rule: CompiledRule;
  readonly name: string;
  readonly type: MetricType;
  readonly labelKeys: string;
  /** Label values when every label is a literal; undefined when some depend on captures. */
  readonly fixedSeries?: string;
}

export function checkRuleClashes(
  rules: readonly CompiledRule[],
  prefix: string,
  reserved: ReadonlySet<string>,
): void {
  const byName = new Map<string, StaticOutput>();
  const outputs: StaticOutput[] = [];
  for (const rule of rules) {
    const out = staticOutput(rule, prefix);
    if (!out) continue;
    if (reserved.has(out.name)) {
      throw new RuleClashError(
        `${describeRule(rule.spec)} produces ${out.name}, which the adapter reserves for its own metrics`,
      );
    }
    const labelsVary = rule.labels.some(([, t]) => !t.isStatic) || rule.spec.valueLabel !== undefined;
    if (rule.spec.matchType !== 'exact' && !labelsVary) {
      throw new RuleClashError(
        `${describeRule(rule.spec)} maps every name it matches to the one series ${out.name}; ` +
          'use a capture ($1) in name or in a label so matches stay apart',
      );
    }
    const first = byName.get(out.name);
    if (first) compare(first, out);
    else byName.set(out.name, out);
    outputs.push(out);
  }
  // OpenMetrics names a counter family without `_total`; a gauge of that name would share the family.
  for (const out of outputs) {
    if (out.type !== 'counter') continue;
    const family = out.name.slice(0, -'_total'.length);
    const other = byName.get(family);
    if (other && other.type !== 'counter') {
      throw new RuleClashError(
        `${describeRule(other.rule.spec)} produces ${family} (${other.type}) and ${describeRule(out.rule.spec)} produces the ` +
          `counter ${out.name}, whose OpenMetrics family is also ${family}`,
      );
    }
  }
}

function staticOutput(rule: CompiledRule, prefix: string): StaticOutput | undefined {
  const spec = rule.spec;
  if (spec.action === 'drop') return undefined;
  let base: string;
  if (rule.name) {
    if (!rule.name.isStatic) return undefined;
    base = rule.name.staticValue;
  } else if (spec.matchType === 'exact') base = sanitizeName(spec.match);
  else return undefined;
  const usedPrefix = spec.usePrefix ? prefix : '';
  const type = spec.type ?? inferType(usedPrefix + base);
  const keys = [...rule.labels.map(([k]) => k), ...(spec.valueLabel ? [spec.valueLabel] : [])].sort();
  const allStatic =
    spec.matchType === 'exact' && spec.valueLabel === undefined && rule.labels.every(([, t]) => t.isStatic);
  const fixedSeries = allStatic
    ? JSON.stringify(
        [...rule.labels].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, t]) => [k, t.staticValue]),
      )
    : undefined;
  return {
    rule,
    name: exportedName(usedPrefix, base, type),
    type,
    labelKeys: keys.join(','),
    ...(fixedSeries !== undefined ? { fixedSeries } : {}),
  };
}

function compare(a: StaticOutput, b: StaticOutput): void {
  const both = `${describeRule(a.rule.spec)} and ${describeRule(b.rule.spec)} both produce ${a.name}`;
  if (a.type !== b.type) throw new RuleClashError(`${both} with different types: ${a.type} vs ${b.type}`);
  if (a.labelKeys !== b.labelKeys) {
    throw new RuleClashError(`${both} with different label sets: {${a.labelKeys}} vs {${b.labelKeys}}`);
  }
  const helpA = a.rule.spec.help;
  const helpB = b.rule.spec.help;
  if (helpA !== undefined && helpB !== undefined && helpA !== helpB) {
    throw new RuleClashError(
      `${both} with different help texts: ${JSON.stringify(helpA)} vs ${JSON.stringify(helpB)}`,
    );
  }
  if (a.fixedSeries !== undefined && a.fixedSeries === b.fixedSeries) {
    throw new RuleClashError(`${both} with the same labels, so the series would be exported twice`);
  }
}
