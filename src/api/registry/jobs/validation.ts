/**
 * Job validation, as upstream's ValidateJob / ValidateJobUpdate (pkg/apis/batch/validation).
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, invalidValue } from '../../validation/field.js';
import { validateJobSpec, validateJobSpecUpdate } from '../../validation/job-spec.js';
import { isDNS1123Label } from '../../validation/strings.js';
import { validateGeneratedSelector } from './selector.js';

export function validateJob(job: Job): FieldError[] {
  const errs = validateKubeFinalizerNames(job.metadata);
  errs.push(...validateGeneratedSelector(job));
  errs.push(...validateJobSpec(job.spec, 'spec'));
  const completions = job.spec?.completions;
  if (job.spec?.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    // Indexed pods are named `<job>-<index>` as their hostname: the largest must be a label.
    const maxHostname = `${job.metadata?.name ?? ''}-${completions - 1}`;
    if (isDNS1123Label(maxHostname).length > 0)
      errs.push(
        invalidValue(
          'metadata.name',
          job.metadata?.name ?? '',
          `will not able to create pod with invalid DNS label: ${maxHostname}`,
        ),
      );
  }
  return errs;
}

export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  return validateJobSpecUpdate(job.spec, old.spec, 'spec');
}
