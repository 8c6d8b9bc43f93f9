/**
 * Capture templates for names and label values, as in statsd_exporter: `$1`, `${1}`, `${name}`;
 * `$$` is a literal `$`. A template is compiled once into parts so expansion is a cheap join.
 */
import type { Captures } from './rule.js';

type Part = { readonly literal: string } | { readonly group: number } | { readonly named: string };

export interface Template {
  readonly source: string;
  readonly parts: readonly Part[];
  /** True when the template has no references: its output is the same for every match. */
  readonly isStatic: boolean;
  /** Largest positional group referenced (0 when none). */
  readonly maxGroup: number;
  readonly namedRefs: readonly string[];
  /** The output when `isStatic` (with `$$` already turned into `$`). */
  readonly staticValue: string;
}

const REF = /\$(?:\$|(\d+)|\{(\d+)\}|\{([A-Za-z_][A-Za-z0-9_]*)\})/g;

/** Throws Error (with a message that fits after the setting name) on a `$` that is not a reference. */
export function compileTemplate(source: string): Template {
  const parts: Part[] = [];
  let last = 0;
  let maxGroup = 0;
  const namedRefs: string[] = [];
  for (const m of source.matchAll(REF)) {
    const at = m.index ?? 0;
    if (at > last) parts.push({ literal: source.slice(last, at) });
    if (m[0] === '$$') parts.push({ literal: '$' });
    else if (m[3] !== undefined) {
      parts.push({ named: m[3] });
      namedRefs.push(m[3]);
    } else {
      const group = Number(m[1] ?? m[2]);
      maxGroup = Math.max(maxGroup, group);
      parts.push({ group });
    }
    last = at + m[0].length;
  }
  if (last < source.length) parts.push({ literal: source.slice(last) });
  if (source.replace(REF, '').includes('$')) {
    throw new Error(`"${source}" has a "$" that is not $n, \${n}, \${name} or $$`);
  }
  const isStatic = parts.every((p) => 'literal' in p);
  const staticValue = parts.map((p) => ('literal' in p ? p.literal : '')).join('');
  return { source, parts, isStatic, maxGroup, namedRefs, staticValue };
}

export function expandTemplate(template: Template, captures: Captures): string {
  if (template.isStatic) return template.staticValue;
  let out = '';
  for (const p of template.parts) {
    if ('literal' in p) out += p.literal;
    else if ('group' in p) out += captures.positional[p.group] ?? '';
    else out += captures.named[p.named] ?? '';
  }
  return out;
}
