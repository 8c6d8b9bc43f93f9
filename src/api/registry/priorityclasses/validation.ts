/**
 * PriorityClass validation (pkg/apis/scheduling/validation): a `system-` name must be one of the
 * system classes with their exact value and globalDefault; other classes may not exceed
 * HighestUserDefinablePriority; preemptionPolicy is Never or PreemptLowerPriority; value and
 * preemptionPolicy are immutable. "Only one globalDefault" is the Priority admission plugin's.
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { type FieldError, forbidden, notSupported, required } from '../../validation/field.js';
import { validateImmutableField } from '../../validation/objectmeta.js';
import {
  HIGHEST_USER_DEFINABLE_PRIORITY,
  knownSystemPriorityClassError,
  SYSTEM_PRIORITY_CLASS_PREFIX,
} from './system-classes.js';

export const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'] as const;

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata?.name ?? '';
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const err = knownSystemPriorityClassError(name, pc.value, pc.globalDefault ?? false);
    if (err)
      errs.push(
        forbidden(
          'metadata.name',
          `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${err}`,
        ),
      );
  } else if (pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(
      forbidden(
        'value',
        `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
      ),
    );
  }
  if (pc.preemptionPolicy !== undefined)
    errs.push(...validatePreemptionPolicy(pc.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

/** core validation.ValidatePreemptionPolicy. */
export function validatePreemptionPolicy(policy: string, path: string): FieldError[] {
  if (policy === '') return [required(path, '')];
  if (!(PREEMPTION_POLICIES as readonly string[]).includes(policy))
    return [notSupported(path, policy, PREEMPTION_POLICIES)];
  return [];
}

export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if (pc.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
  errs.push(...validateImmutableField(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}
