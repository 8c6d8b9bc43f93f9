/**
 * A JobSpec's podFailurePolicy and successPolicy rules, as upstream's
 * pkg/apis/batch/validation (validatePodFailurePolicy, validatePodFailurePolicyRule*,
 * validateSuccessPolicy, validateIndexesFormat), with its limits and messages. job-spec.ts
 * calls them; the spec is expected to be defaulted (onPodConditions status True).
 */
import type {
  JobSpec,
  PodFailurePolicyOnExitCodesRequirement,
  PodFailurePolicyRule,
} from 'kubernetes-types/batch/v1';
import {
  duplicate,
  type FieldError,
  GoValue,
  invalidValue,
  notSupported,
  OMIT_VALUE,
  required,
  tooLong,
  tooMany,
} from './field.js';
import { validateLabelName } from './labels.js';
import { validateNonnegativeField } from './objectmeta.js';
import { child, index } from './path.js';

/** maxPodFailurePolicyRules, maxPodFailurePolicyOnExitCodesValues, ...OnPodConditionsPatterns. */
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_ON_EXIT_CODES_VALUES = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
/** maxJobSuccessPolicySucceededIndexesLimit and maxSuccessPolicyRule. */
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_SUCCESS_POLICY_RULES = 20;

/** The supported values, sorted as upstream's sets.List prints them. */
export const POD_FAILURE_POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'] as const;
const ON_EXIT_CODES_OPERATORS = ['In', 'NotIn'] as const;
const ON_POD_CONDITIONS_STATUSES = ['False', 'True', 'Unknown'] as const;

/** Go's %q of a string slice: `["a" "b"]`. */
const goQuotedList = (values: readonly string[]): string =>
  `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
/** Go's %#v of a []int32. */
const int32Slice = (values: readonly number[]): GoValue => new GoValue(`[]int32{${values.join(', ')}}`);

/** validatePodFailurePolicy: at most 20 rules, each checked against the template's containers. */
export function validatePodFailurePolicy(spec: Partial<JobSpec>, path: string): FieldError[] {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const rulesPath = child(path, 'rules');
  const errs: FieldError[] = [];
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES)
    errs.push(tooMany(rulesPath, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const names = new Set<string>();
  for (const c of spec.template?.spec?.containers ?? []) names.add(c.name);
  for (const c of spec.template?.spec?.initContainers ?? []) names.add(c.name);
  rules.forEach((rule, i) => {
    errs.push(...validatePodFailurePolicyRule(spec, rule, index(rulesPath, i), names));
  });
  return errs;
}

function validatePodFailurePolicyRule(
  spec: Partial<JobSpec>,
  rule: PodFailurePolicyRule,
  rulePath: string,
  containerNames: ReadonlySet<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  const actionPath = child(rulePath, 'action');
  const action = rule.action ?? '';
  if (action === '') {
    errs.push(required(actionPath, `valid values: ${goQuotedList(POD_FAILURE_POLICY_ACTIONS)}`));
  } else if (action === 'FailIndex') {
    if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null)
      errs.push(invalidValue(actionPath, action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!(POD_FAILURE_POLICY_ACTIONS as readonly string[]).includes(action)) {
    errs.push(notSupported(actionPath, action, POD_FAILURE_POLICY_ACTIONS));
  }
  const onPodConditions = rule.onPodConditions ?? [];
  if (rule.onExitCodes)
    errs.push(...validateOnExitCodes(rule.onExitCodes, child(rulePath, 'onExitCodes'), containerNames));
  if (onPodConditions.length > 0) {
    const p = child(rulePath, 'onPodConditions');
    if (onPodConditions.length > MAX_ON_POD_CONDITIONS_PATTERNS)
      errs.push(tooMany(p, onPodConditions.length, MAX_ON_POD_CONDITIONS_PATTERNS));
    onPodConditions.forEach((pattern, j) => {
      const patternPath = index(p, j);
      const statusPath = child(patternPath, 'status');
      errs.push(...validateLabelName(pattern.type ?? '', child(patternPath, 'type')));
      const status = pattern.status ?? '';
      if (status === '')
        errs.push(required(statusPath, `valid values: ${goQuotedList(ON_POD_CONDITIONS_STATUSES)}`));
      else if (!(ON_POD_CONDITIONS_STATUSES as readonly string[]).includes(status))
        errs.push(notSupported(statusPath, status, ON_POD_CONDITIONS_STATUSES));
    });
  }
  if (rule.onExitCodes && onPodConditions.length > 0)
    errs.push(
      invalidValue(rulePath, OMIT_VALUE, 'specifying both OnExitCodes and OnPodConditions is not supported'),
    );
  if (!rule.onExitCodes && onPodConditions.length === 0)
    errs.push(
      invalidValue(rulePath, OMIT_VALUE, 'specifying one of OnExitCodes and OnPodConditions is required'),
    );
  return errs;
}

/** validatePodFailurePolicyRuleOnExitCodes. */
function validateOnExitCodes(
  req: PodFailurePolicyOnExitCodesRequirement,
  path: string,
  containerNames: ReadonlySet<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  const operatorPath = child(path, 'operator');
  const operator = req.operator ?? '';
  if (operator === '')
    errs.push(required(operatorPath, `valid values: ${goQuotedList(ON_EXIT_CODES_OPERATORS)}`));
  else if (!(ON_EXIT_CODES_OPERATORS as readonly string[]).includes(operator))
    errs.push(notSupported(operatorPath, operator, ON_EXIT_CODES_OPERATORS));
  if (req.containerName !== undefined && req.containerName !== null && !containerNames.has(req.containerName))
    errs.push(
      invalidValue(
        child(path, 'containerName'),
        req.containerName,
        'must be one of the container or initContainer names in the pod template',
      ),
    );
  const values = req.values ?? [];
  const valuesPath = child(path, 'values');
  if (values.length === 0)
    errs.push(invalidValue(valuesPath, int32Slice(values), 'at least one value is required'));
  else if (values.length > MAX_ON_EXIT_CODES_VALUES)
    errs.push(tooMany(valuesPath, values.length, MAX_ON_EXIT_CODES_VALUES));
  let ordered = true;
  const seen = new Set<number>();
  values.forEach((v, j) => {
    const valuePath = index(valuesPath, j);
    if (operator === 'In' && v === 0)
      errs.push(invalidValue(valuePath, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(duplicate(valuePath, v));
    else seen.add(v);
    if (j > 0 && values[j - 1]! > v) ordered = false;
  });
  if (!ordered) errs.push(invalidValue(valuesPath, int32Slice(values), 'must be ordered'));
  return errs;
}

/** validateSuccessPolicy (the caller has checked the Job is Indexed). */
export function validateSuccessPolicy(spec: Partial<JobSpec>, path: string): FieldError[] {
  const rules = spec.successPolicy?.rules ?? [];
  const rulesPath = child(path, 'rules');
  const errs: FieldError[] = [];
  if (rules.length === 0)
    errs.push(
      required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'),
    );
  if (rules.length > MAX_SUCCESS_POLICY_RULES)
    errs.push(tooMany(rulesPath, rules.length, MAX_SUCCESS_POLICY_RULES));
  // Indexed Jobs require completions; upstream dereferences it here.
  const completions = spec.completions ?? 0;
  rules.forEach((rule, i) => {
    const rulePath = index(rulesPath, i);
    const count = rule.succeededCount;
    const indexes = rule.succeededIndexes;
    const hasCount = count !== undefined && count !== null;
    const hasIndexes = indexes !== undefined && indexes !== null;
    if (!hasCount && !hasIndexes)
      errs.push(required(rulePath, 'at least one of succeededCount or succeededIndexes must be specified'));
    let total = 0;
    if (hasIndexes) {
      const p = child(rulePath, 'succeededIndexes');
      if (indexes.length > MAX_SUCCEEDED_INDEXES_LENGTH)
        errs.push(tooLong(p, indexes, MAX_SUCCEEDED_INDEXES_LENGTH));
      const parsed = validateIndexesFormat(indexes, completions);
      if (typeof parsed === 'string')
        errs.push(invalidValue(p, indexes, `error parsing succeededIndexes: ${parsed}`));
      else total = parsed;
    }
    if (hasCount) {
      const p = child(rulePath, 'succeededCount');
      errs.push(...validateNonnegativeField(count, p));
      if (count > completions)
        errs.push(
          invalidValue(
            p,
            count,
            `must be less than or equal to ${completions} (the number of specified completions)`,
          ),
        );
      if (hasIndexes && count > total)
        errs.push(
          invalidValue(
            p,
            count,
            `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`,
          ),
        );
    }
  });
  return errs;
}

/** Go's strconv.Atoi, for the index texts: an optional sign and decimal digits. */
const atoi = (s: string): number | undefined => (/^[+-]?\d+$/.test(s) ? Number(s) : undefined);

/**
 * validateIndexesFormat: the number of indexes "1,3-5" names, or upstream's error text (each
 * interval below completions, strictly increasing, at most two parts).
 */
export function validateIndexesFormat(text: string, completions: number): number | string {
  if (text === '') return 0;
  let last: number | undefined;
  let total = 0;
  for (const part of text.split(',')) {
    const limits = part.split('-');
    if (limits.length > 2)
      return `the fragment ${JSON.stringify(part)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    const x = atoi(limits[0]!);
    if (x === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[0])}`;
    if (x >= completions) return `too large index: ${JSON.stringify(limits[0])}`;
    let y = x;
    if (limits.length > 1) {
      const v = atoi(limits[1]!);
      if (v === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[1])}`;
      if (v >= completions) return `too large index: ${JSON.stringify(limits[1])}`;
      if (x >= v) return `non-increasing order, previous: ${x}, current: ${v}`;
      y = v;
    }
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total += y - x + 1;
    last = y;
  }
  return total;
}
