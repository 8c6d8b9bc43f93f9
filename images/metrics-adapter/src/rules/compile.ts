/**
 * Turns validated RuleSpecs into CompiledRules the mapper runs: a matcher plus compiled name and
 * label templates. Also checks that templates only reference groups the pattern defines, so `$2` in
 * a one-wildcard glob fails at start instead of silently producing an empty label.
 */
import { ConfigError } from '../errors.js';
import { isValidMetricName } from '../mapping/metric-name.js';
import { type CompiledMatcher, compileMatcher } from './matcher.js';
import type { RuleSpec } from './rule.js';
import { compileTemplate, type Template } from './template.js';

export interface CompiledRule {
  readonly spec: RuleSpec;
  readonly matcher: CompiledMatcher;
  readonly name?: Template;
  readonly labels: ReadonlyArray<readonly [string, Template]>;
}

export function compileRules(specs: readonly RuleSpec[], setting = '--rules'): CompiledRule[] {
  return specs.map((spec) => compileRule(spec, setting));
}

function compileRule(spec: RuleSpec, setting: string): CompiledRule {
  const at = (field: string): string => `${setting} ${spec.where}.${field}`;
  let matcher: CompiledMatcher;
  try {
    matcher = compileMatcher(spec.match, spec.matchType);
  } catch (err) {
    throw new ConfigError(at('match'), (err as Error).message);
  }
  const checkRefs = (t: Template, field: string): Template => {
    if (t.maxGroup > matcher.groups) {
      throw new ConfigError(
        at(field),
        `uses $${t.maxGroup} but the ${spec.matchType} pattern has ${matcher.groups} capture group(s)`,
      );
    }
    for (const ref of t.namedRefs) {
      if (!matcher.groupNames.includes(ref))
        throw new ConfigError(at(field), `uses \${${ref}} but the pattern has no group named ${ref}`);
    }
    return t;
  };
  const compile = (source: string, field: string): Template => {
    try {
      return checkRefs(compileTemplate(source), field);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(at(field), (err as Error).message);
    }
  };
  const name = spec.name === undefined ? undefined : compile(spec.name, 'name');
  if (name?.isStatic && !isValidMetricName(name.staticValue)) {
    throw new ConfigError(
      at('name'),
      `"${name.staticValue}" is not a valid metric name ([A-Za-z_:][A-Za-z0-9_:]*)`,
    );
  }
  const labels = spec.labels.map(([k, v]) => [k, compile(v, `labels.${k}`)] as const);
  return { spec, matcher, ...(name ? { name } : {}), labels };
}
