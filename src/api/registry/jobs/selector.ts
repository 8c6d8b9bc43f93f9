/**
 * The generated selector, as the Job strategy's generateSelector (pkg/registry/batch/job):
 * unless spec.manualSelector is true, a new Job's pods are labelled with its uid and name and
 * its selector is exactly `batch.kubernetes.io/controller-uid=<uid>`, so two Jobs can never
 * select each other's pods. validateGeneratedSelector checks the result on every write.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import { type FieldError, invalidValue, required } from '../../validation/field.js';
import { deepEqual } from '../../validation/objectmeta.js';
import {
  CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
} from './labels.js';

/** Mutates: labels the template and sets the selector. `job.metadata.uid` must be set. */
export function generateSelector(job: Job): void {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true) return;
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.labels = {
    ...spec.template.metadata.labels,
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
  };
  // Upstream keeps user-written expressions and adds the uid label to matchLabels.
  spec.selector = {
    ...spec.selector,
    matchLabels: { ...spec.selector?.matchLabels, [CONTROLLER_UID_LABEL]: uid },
  };
}

/** validateGeneratedSelector: a Job without manualSelector must carry the labels above. */
export function validateGeneratedSelector(job: Job): FieldError[] {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true) return [];
  const uid = job.metadata?.uid;
  if (!uid) return [];
  const labels = spec.template?.metadata?.labels ?? {};
  const errs: FieldError[] = [];
  if (labels[CONTROLLER_UID_LABEL] !== uid)
    errs.push(
      invalidValue(
        `spec.template.metadata.labels[${CONTROLLER_UID_LABEL}]`,
        labels[CONTROLLER_UID_LABEL] ?? '',
        `must be '${uid}'`,
      ),
    );
  if (!spec.selector) return [...errs, required('spec.selector', '')];
  const expected = { matchLabels: { [CONTROLLER_UID_LABEL]: uid } };
  if (
    !deepEqual(
      { matchLabels: { [CONTROLLER_UID_LABEL]: spec.selector.matchLabels?.[CONTROLLER_UID_LABEL] } },
      expected,
    )
  )
    errs.push(invalidValue('spec.selector', spec.selector, '`selector` not auto-generated'));
  return errs;
}
