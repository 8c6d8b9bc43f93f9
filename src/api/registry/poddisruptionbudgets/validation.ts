/**
 * PodDisruptionBudget validation (pkg/apis/policy/validation, ValidatePodDisruptionBudgetSpec and
 * ValidatePodDisruptionBudgetStatusUpdate, policy/v1): minAvailable and maxUnavailable are each an
 * int ≥ 0 or a percentage ≤ 100% and not both set; the selector is a valid label selector;
 * unhealthyPodEvictionPolicy is IfHealthyBudget or AlwaysAllow; status counts are non-negative and
 * its conditions are metav1 Conditions.
 */
import type { Condition } from 'kubernetes-types/meta/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { type FieldError, invalidValue, notSupported, required } from '../../validation/field.js';
import { validateLabelSelector } from '../../validation/labels.js';
import { validateNonnegativeField } from '../../validation/objectmeta.js';
import { child, index } from '../../validation/path.js';
import { isQualifiedName, maxLenError } from '../../validation/strings.js';
import { validateIntOrPercent, validateNotMoreThan100Percent } from '../../validation/workload.js';

export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const spec = pdb.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    // Upstream prints the Go struct (with pointer addresses); podbay prints the spec's JSON.
    errs.push(invalidValue('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    const v = spec[f];
    if (v === undefined) continue;
    errs.push(...validateIntOrPercent(v, `spec.${f}`), ...validateNotMoreThan100Percent(v, `spec.${f}`));
  }
  errs.push(
    ...validateLabelSelector(spec.selector, { allowInvalidLabelValueInSelector: false }, 'spec.selector'),
  );
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !(UNHEALTHY_POD_EVICTION_POLICIES as readonly string[]).includes(policy)) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  const status = pdb.status;
  if (status) {
    errs.push(...validateConditions(status.conditions, 'status.conditions'));
    errs.push(...validateNonnegativeField(status.disruptionsAllowed, 'status.disruptionsAllowed'));
    errs.push(...validateNonnegativeField(status.currentHealthy, 'status.currentHealthy'));
    errs.push(...validateNonnegativeField(status.desiredHealthy, 'status.desiredHealthy'));
    errs.push(...validateNonnegativeField(status.expectedPods, 'status.expectedPods'));
  }
  return errs;
}

const CONDITION_STATUSES = ['True', 'False', 'Unknown'];
const REASON_MAX = 1024;
const MESSAGE_MAX = 32768;
const REASON_RE = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/** metav1 validation.ValidateConditions / ValidateCondition. */
export function validateConditions(conditions: readonly Condition[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (conditions ?? []).forEach((c, i) => {
    const p = index(path, i);
    if (seen.has(c.type))
      errs.push({ type: 'FieldValueDuplicate', field: child(p, 'type'), badValue: c.type });
    seen.add(c.type);
    for (const msg of isQualifiedName(c.type ?? '')) errs.push(invalidValue(child(p, 'type'), c.type, msg));
    if (!CONDITION_STATUSES.includes(c.status))
      errs.push(notSupported(child(p, 'status'), c.status, CONDITION_STATUSES));
    if (!c.lastTransitionTime) errs.push(required(child(p, 'lastTransitionTime'), 'must be set'));
    if (!c.reason) errs.push(required(child(p, 'reason'), 'must be set'));
    else {
      if (!REASON_RE.test(c.reason))
        errs.push(
          invalidValue(
            child(p, 'reason'),
            c.reason,
            "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')",
          ),
        );
      if (c.reason.length > REASON_MAX)
        errs.push({ type: 'FieldValueTooLong', field: child(p, 'reason'), detail: maxLenError(REASON_MAX) });
    }
    if ((c.message ?? '').length > MESSAGE_MAX)
      errs.push({ type: 'FieldValueTooLong', field: child(p, 'message'), detail: maxLenError(MESSAGE_MAX) });
  });
  return errs;
}
