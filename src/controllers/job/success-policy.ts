/**
 * An Indexed Job's successPolicy, as upstream's pkg/controller/job/success_policy.go (1.32,
 * JobSuccessPolicy beta, on): the rules are tried in order against the succeeded indexes; the
 * first satisfied one declares the Job successful (SuccessCriteriaMet, reason SuccessPolicy,
 * "Matched rules at index N"), whatever the other indexes are doing.
 */
import type { SuccessPolicy } from 'kubernetes-types/batch/v1';
import { type OrderedIntervals, parseIndexes, totalIndexes } from './indexed.js';

export const SUCCESS_POLICY_REASON = 'SuccessPolicy';

/** matchSuccessPolicy: the message of the first satisfied rule, else undefined. */
export function matchSuccessPolicy(
  policy: SuccessPolicy | undefined,
  completions: number,
  succeeded: OrderedIntervals,
): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  for (const [i, rule] of (policy.rules ?? []).entries()) {
    const count = rule.succeededCount ?? undefined;
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      // A rule whose indexes do not parse (or lie past completions) never matches.
      if (required.length === 0) continue;
      if (matchSucceededIndexesRule(required, succeeded, count)) return `Matched rules at index ${i}`;
    } else if (count !== undefined && totalIndexes(succeeded) >= count) {
      return `Matched rules at index ${i}`;
    }
  }
  return undefined;
}

/**
 * matchSucceededIndexesRule: every index of the rule succeeded, or, with succeededCount, at
 * least that many of them did.
 */
function matchSucceededIndexesRule(
  rule: OrderedIntervals,
  succeeded: OrderedIntervals,
  count: number | undefined,
): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  while (r < rule.length && s < succeeded.length) {
    const a = rule[r]!;
    const b = succeeded[s]!;
    const overlap = Math.min(a.last, b.last) - Math.max(a.first, b.first) + 1;
    if (overlap > 0) contains += overlap;
    if (b.last < a.last) s++;
    else if (b.last > a.last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === totalIndexes(rule) || (count !== undefined && contains >= count);
}
