/**
 * Deployment validation, as upstream's ValidateDeployment / ValidateDeploymentUpdate and the
 * apps/v1 strategy's rule that spec.selector is immutable.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { Deployment, DeploymentStrategy } from 'kubernetes-types/apps/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../../validation/field.js';
import { validateImmutableField, validateNonnegativeField } from '../../validation/objectmeta.js';
import {
  intOrPercentIsZero,
  validateIntOrPercent,
  validateNotMoreThan100Percent,
  validateSelectorAndTemplate,
} from '../../validation/workload.js';

function validateStrategy(strategy: DeploymentStrategy | undefined, path: string): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate
        ? [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")]
        : [];
    case 'RollingUpdate': {
      const ru = s.rollingUpdate;
      if (!ru) return [required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const p = `${path}.rollingUpdate`;
      const errs = [
        ...validateIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`),
        ...validateIntOrPercent(ru.maxSurge, `${p}.maxSurge`),
      ];
      if (intOrPercentIsZero(ru.maxUnavailable) && intOrPercentIsZero(ru.maxSurge)) {
        errs.push(
          invalidValue(`${p}.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'),
        );
      }
      errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      return errs;
    }
    default:
      return [notSupported(path, s, ['Recreate', 'RollingUpdate'])];
  }
}

export function validateDeployment(d: Deployment): FieldError[] {
  const errs = validateKubeFinalizerNames(d.metadata);
  const spec = d.spec;
  errs.push(...validateNonnegativeField(spec?.replicas, 'spec.replicas'));
  errs.push(...validateSelectorAndTemplate(spec?.selector, spec?.template, 'spec'));
  errs.push(...validateStrategy(spec?.strategy, 'spec.strategy'));
  errs.push(...validateNonnegativeField(spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegativeField(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec?.progressDeadlineSeconds !== undefined) {
    errs.push(...validateNonnegativeField(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(
        invalidValue(
          'spec.progressDeadlineSeconds',
          spec.progressDeadlineSeconds,
          'must be greater than minReadySeconds',
        ),
      );
    }
  }
  return errs;
}

export function validateDeploymentUpdate(d: Deployment, old: Deployment): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateImmutableField(d.spec?.selector, old.spec?.selector, 'spec.selector'));
  return errs;
}
