/**
 * Name matchers for the three match types. A glob's `*` matches within one `.`-separated part and
 * `**` across parts (statsd_exporter's glob semantics); `?` matches one character; each wildcard is a
 * capture group. A regex must match the whole name (it is anchored), so `response_time` does not
 * also catch `response_time_p99`, the seed's awk bug.
 */
import type { Captures, MatchType } from './rule.js';

export type Matcher = (name: string) => Captures | null;

export interface CompiledMatcher {
  readonly match: Matcher;
  /** Number of positional capture groups the pattern defines. */
  readonly groups: number;
  readonly groupNames: readonly string[];
}

const NO_NAMED: Readonly<Record<string, string>> = Object.freeze({});

/** Throws Error with a message that fits after the setting name when the pattern is invalid. */
export function compileMatcher(pattern: string, type: MatchType): CompiledMatcher {
  if (type === 'exact') {
    return {
      match: (name) => (name === pattern ? { positional: [name], named: NO_NAMED } : null),
      groups: 0,
      groupNames: [],
    };
  }
  const regex = type === 'glob' ? globToRegex(pattern) : anchoredRegex(pattern);
  const groupNames = [...regex.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1] ?? '');
  const groups = new RegExp(`${regex.source}|`).exec('')!.length - 1;
  return {
    match: (name) => {
      const m = regex.exec(name);
      if (!m) return null;
      return { positional: Array.from(m, (g) => g ?? ''), named: m.groups ? { ...m.groups } : NO_NAMED };
    },
    groups,
    groupNames,
  };
}

function anchoredRegex(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (err) {
    throw new Error(`invalid regular expression: ${(err as Error).message}`);
  }
}

export function globToRegex(glob: string): RegExp {
  let source = '^';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        source += '(.*)';
        i++;
      } else source += '([^.]*)';
    } else if (ch === '?') source += '([^.])';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`${source}$`);
}
