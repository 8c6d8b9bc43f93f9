/**
 * Label selectors: parse the string form (`app=web,tier in (a,b),!canary`), build one from a
 * metav1.LabelSelector, match label maps and print the canonical form. Semantics are
 * apimachinery's labels package and metav1.LabelSelectorAsSelector:
 *  - the empty string and an empty LabelSelector select everything;
 *  - a null LabelSelector selects nothing (`Nothing()`), which is why callers must pass
 *    `undefined` through rather than defaulting it to `{}`.
 * Parse failures throw ApiError 400 BadRequest with upstream's message, as the apiserver does.
 */
import type { LabelSelector as MetaLabelSelector } from 'kubernetes-types/meta/v1';
import { badRequest } from '../errors.js';
import { parseRequirements } from './label-parser.js';
import {
  formatRequirement,
  type Labels,
  newRequirement,
  type Operator,
  type Requirement,
  RequirementError,
  requirementMatches,
} from './label-requirement.js';

export type { Labels, Requirement };

export interface LabelSelector {
  readonly requirements: readonly Requirement[];
  /** True for a selector that can match nothing at all (a null metav1.LabelSelector). */
  readonly nothing: boolean;
  matches(labels: Labels | undefined): boolean;
  /** Selects every object (no requirements and not `nothing`). */
  isEverything(): boolean;
  toString(): string;
}

function makeSelector(requirements: readonly Requirement[], nothing = false): LabelSelector {
  return {
    requirements,
    nothing,
    matches: (labels) => !nothing && requirements.every((r) => requirementMatches(r, labels ?? {})),
    isEverything: () => !nothing && requirements.length === 0,
    toString: () => requirements.map(formatRequirement).join(','),
  };
}

export const everything = (): LabelSelector => makeSelector([]);
export const nothing = (): LabelSelector => makeSelector([], true);

/** labels.Parse. Throws ApiError 400 with upstream's message on bad input. */
export function parseLabelSelector(input: string): LabelSelector {
  try {
    return makeSelector(parseRequirements(input));
  } catch (e) {
    if (e instanceof Error && !(e instanceof TypeError)) throw badRequest(e.message);
    throw e;
  }
}

/** labels.SelectorFromSet: exact matches on every key of the map; empty or absent selects all. */
export function selectorFromSet(set: Labels | undefined): LabelSelector {
  const keys = Object.keys(set ?? {}).sort();
  return makeSelector(keys.map((k) => ({ key: k, operator: '=' as const, values: [set![k]!] })));
}

const EXPRESSION_OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: null → nothing, empty → everything, otherwise matchLabels
 * (as `=`) then matchExpressions. Throws ApiError 400 on an invalid key, value or operator.
 */
export function selectorFromLabelSelector(ls: MetaLabelSelector | null | undefined): LabelSelector {
  if (ls === null || ls === undefined) return nothing();
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return everything();
  const reqs: Requirement[] = [];
  try {
    for (const [k, v] of Object.entries(matchLabels)) reqs.push(newRequirement(k, '=', [v]));
    for (const expr of exprs) {
      const op = EXPRESSION_OPERATORS[expr.operator];
      if (!op) throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
      reqs.push(newRequirement(expr.key, op, expr.values ?? []));
    }
  } catch (e) {
    if (e instanceof RequirementError) throw badRequest(e.message);
    throw e;
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return makeSelector(reqs);
}

/** metav1.FormatLabelSelector: the string form, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ls: MetaLabelSelector | null | undefined): string {
  let s: string;
  try {
    s = selectorFromLabelSelector(ls).toString();
  } catch {
    return '<error>';
  }
  return s.length === 0 ? '<none>' : s;
}
