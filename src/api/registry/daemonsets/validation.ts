/**
 * DaemonSet validation, as upstream's ValidateDaemonSetSpec, ValidateDaemonSetUpdateStrategy and
 * ValidateRollingUpdateDaemonSet (pkg/apis/apps/validation/validation.go), and the apps/v1
 * strategy's immutable selector (pkg/registry/apps/daemonset/strategy.go ValidateUpdate).
 *
 * Unlike Deployment, a missing selector is not "Required": LabelSelectorAsSelector(nil) selects
 * nothing, so upstream reports the template's labels as not matching.
 */
import type { DaemonSet, DaemonSetUpdateStrategy } from 'kubernetes-types/apps/v1';
import { selectorFromLabelSelector } from '../../selectors/label-selector.js';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, invalidValue, notSupported, required } from '../../validation/field.js';
import { selectorIsEmpty, validateLabelSelector } from '../../validation/labels.js';
import { validateImmutableField, validateNonnegativeField } from '../../validation/objectmeta.js';
import { validatePodTemplateSpec } from '../../validation/podspec.js';
import {
  intOrPercentIsZero,
  SELECTOR_MISMATCH_MSG,
  validateIntOrPercent,
  validateNotMoreThan100Percent,
} from '../../validation/workload.js';

function validateUpdateStrategy(s: DaemonSetUpdateStrategy | undefined, path: string): FieldError[] {
  const strategy = s ?? {};
  switch (strategy.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (!ru) return [required(`${path}.rollingUpdate`)];
      const p = `${path}.rollingUpdate`;
      const errs = [
        ...validateIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`),
        ...validateIntOrPercent(ru.maxSurge, `${p}.maxSurge`),
        ...validateNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`),
        ...validateNotMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`),
      ];
      // Exactly one of maxSurge and maxUnavailable is non-zero.
      const hasUnavailable = !intOrPercentIsZero(ru.maxUnavailable);
      const hasSurge = !intOrPercentIsZero(ru.maxSurge);
      if (hasUnavailable && hasSurge)
        errs.push(
          invalidValue(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'),
        );
      else if (!hasUnavailable && !hasSurge)
        errs.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      return errs;
    }
    default:
      return [notSupported(path, strategy, ['RollingUpdate', 'OnDelete'])];
  }
}

/** true unless LabelSelectorAsSelector fails; a nil selector selects nothing. */
function selectorMatchesLabels(ds: DaemonSet): boolean {
  const selector = ds.spec?.selector;
  if (!selector) return false;
  try {
    return selectorFromLabelSelector(selector).matches(ds.spec?.template?.metadata?.labels);
  } catch {
    return true; // the selector's own errors are reported; upstream skips the match then
  }
}

export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const errs = validateKubeFinalizerNames(ds.metadata);
  const spec = ds.spec;
  const template = spec?.template ?? {};
  if (spec?.selector)
    errs.push(
      ...validateLabelSelector(spec.selector, { allowInvalidLabelValueInSelector: false }, 'spec.selector'),
    );
  if (!selectorMatchesLabels(ds)) {
    errs.push(
      invalidValue('spec.template.metadata.labels', template.metadata?.labels ?? {}, SELECTOR_MISMATCH_MSG),
    );
  }
  if (spec?.selector && selectorIsEmpty(spec.selector))
    errs.push(invalidValue('spec.selector', spec.selector, 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(template, 'spec.template'));
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always')
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  const deadline = template.spec?.activeDeadlineSeconds;
  if (deadline !== undefined)
    errs.push(invalidValue('spec.template.spec.activeDeadlineSeconds', deadline, 'must not be specified'));
  errs.push(...validateNonnegativeField(spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateUpdateStrategy(spec?.updateStrategy, 'spec.updateStrategy'));
  errs.push(...validateNonnegativeField(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

export const validateDaemonSetUpdate = (ds: DaemonSet, old: DaemonSet): FieldError[] =>
  validateImmutableField(ds.spec?.selector, old.spec?.selector, 'spec.selector');
