/**
 * Rules shared by apps/v1 workloads (pkg/apis/apps/validation): a strict, non-empty selector
 * that matches the template's labels, and a template a ReplicaSet can run (restartPolicy
 * Always, no activeDeadlineSeconds).
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { type FieldError, forbidden, invalidValue, notSupported, required } from './field.js';
import { selectorIsEmpty, selectorMatches, validateLabelSelector } from './labels.js';
import { validateNonnegativeField } from './objectmeta.js';
import { child } from './path.js';
import { validatePodTemplateSpec } from './podspec.js';
import { isValidPercent } from './strings.js';

/** Upstream's exact text, backticks included. */
export const SELECTOR_MISMATCH_MSG = '`selector` does not match template `labels`';

export function validatePodTemplateSpecForReplicaSet(
  template: PodTemplateSpec | undefined,
  selector: LabelSelector | undefined,
  path: string,
): FieldError[] {
  if (!template) return [required(path, '')];
  const errs: FieldError[] = [];
  if (selector && !selectorIsEmpty(selector) && !selectorMatches(selector, template.metadata?.labels)) {
    errs.push(
      invalidValue(child(path, 'metadata', 'labels'), template.metadata?.labels ?? {}, SELECTOR_MISMATCH_MSG),
    );
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always')
    errs.push(notSupported(child(path, 'spec', 'restartPolicy'), restartPolicy, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(
      forbidden(
        child(path, 'spec', 'activeDeadlineSeconds'),
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    );
  }
  return errs;
}

/**
 * `spec.selector` and `spec.template` of a Deployment or ReplicaSet. Upstream says "deployment"
 * in the empty-selector message for ReplicaSets too; kept for identical output.
 */
export function validateSelectorAndTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  specPath: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = child(specPath, 'selector');
  if (!selector) errs.push(required(selPath, ''));
  else {
    errs.push(...validateLabelSelector(selector, { allowInvalidLabelValueInSelector: false }, selPath));
    if (selectorIsEmpty(selector))
      errs.push(invalidValue(selPath, selector, 'empty selector is invalid for deployment'));
  }
  errs.push(...validatePodTemplateSpecForReplicaSet(template, selector, child(specPath, 'template')));
  return errs;
}

/** ValidatePositiveIntOrPercent, for maxSurge / maxUnavailable. */
export function validateIntOrPercent(value: number | string | undefined, path: string): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return isValidPercent(value).map((msg) => invalidValue(path, value, msg));
  return validateNonnegativeField(value, path);
}

/** IsNotMoreThan100Percent: upstream applies it to maxUnavailable only. */
export function validateNotMoreThan100Percent(
  value: number | string | undefined,
  path: string,
): FieldError[] {
  if (typeof value !== 'string' || isValidPercent(value).length > 0) return [];
  return Number.parseInt(value, 10) > 100 ? [invalidValue(path, value, 'must not be greater than 100%')] : [];
}

/** 0 for a missing value, the integer, or the percentage's number (only compared against 0). */
export const intOrPercentIsZero = (value: number | string | undefined): boolean =>
  value === undefined || value === 0 || (typeof value === 'string' && Number.parseInt(value, 10) === 0);
