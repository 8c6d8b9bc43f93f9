/**
 * batch/v1 JobSpec rules shared by Jobs and CronJob job templates, as upstream's
 * pkg/apis/batch/validation (validateJobSpec / ValidateJobSpec / ValidateJobSpecUpdate).
 * The spec is expected to be defaulted first (a template restartPolicy left empty has become
 * Always by then, which is why "Always" is reported as a missing value, as upstream does).
 */
import type { JobSpec } from 'kubernetes-types/batch/v1';
import { type FieldError, forbidden, invalidValue, notSupported, required } from './field.js';
import { selectorMatches, validateLabelSelector } from './labels.js';
import { validateImmutableField, validateNonnegativeField } from './objectmeta.js';
import { child } from './path.js';
import { validatePodTemplateSpec } from './podspec.js';
import { SELECTOR_MISMATCH_MSG } from './workload.js';

export const COMPLETION_MODES = ['NonIndexed', 'Indexed'] as const;
export const POD_REPLACEMENT_POLICIES = ['TerminatingOrFailed', 'Failed'] as const;
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'] as const;
/**
 * JobSpec fields upstream serves that podbay's Job controller does not act on. They are
 * refused by name rather than stored and silently ignored: a Job that claims a policy it does
 * not get would mislead its user.
 */
const UNIMPLEMENTED_FIELDS = [
  'podFailurePolicy',
  'successPolicy',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  'managedBy',
] as const;
const UNIMPLEMENTED = "podbay's Job controller does not implement this field";
/** Upstream's maxParallelismForIndexedJob and maxCompletionsForIndexedJob. */
const MAX_PARALLELISM_INDEXED = 100_000;
const MAX_COMPLETIONS_INDEXED = 100_000;

/** validateJobSpec: every rule but the selector's (job templates have no selector yet). */
export function validateJobSpecBody(spec: JobSpec | undefined, path: string): FieldError[] {
  const s: Partial<JobSpec> = spec ?? {};
  const errs: FieldError[] = [];
  for (const f of UNIMPLEMENTED_FIELDS)
    if ((s as Record<string, unknown>)[f] !== undefined && (s as Record<string, unknown>)[f] !== null)
      errs.push(forbidden(child(path, f), UNIMPLEMENTED));
  errs.push(...validateNonnegativeField(s.parallelism, child(path, 'parallelism')));
  errs.push(...validateNonnegativeField(s.completions, child(path, 'completions')));
  errs.push(...validateNonnegativeField(s.activeDeadlineSeconds, child(path, 'activeDeadlineSeconds')));
  errs.push(...validateNonnegativeField(s.backoffLimit, child(path, 'backoffLimit')));
  errs.push(...validateNonnegativeField(s.ttlSecondsAfterFinished, child(path, 'ttlSecondsAfterFinished')));
  if (s.completionMode !== undefined) {
    const modePath = child(path, 'completionMode');
    if (!(COMPLETION_MODES as readonly string[]).includes(s.completionMode)) {
      errs.push(notSupported(modePath, s.completionMode, COMPLETION_MODES));
    } else if (s.completionMode === 'Indexed') {
      if (s.completions === undefined)
        errs.push(required(child(path, 'completions'), 'when completion mode is Indexed'));
      else if (s.completions > MAX_COMPLETIONS_INDEXED)
        errs.push(
          invalidValue(
            child(path, 'completions'),
            s.completions,
            `must be less than or equal to ${MAX_COMPLETIONS_INDEXED} when completion mode is Indexed`,
          ),
        );
      if (s.parallelism !== undefined && s.parallelism > MAX_PARALLELISM_INDEXED)
        errs.push(
          invalidValue(
            child(path, 'parallelism'),
            s.parallelism,
            `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`,
          ),
        );
    }
  }
  if (s.podReplacementPolicy !== undefined) {
    const p = child(path, 'podReplacementPolicy');
    if (s.podFailurePolicy && s.podReplacementPolicy !== 'Failed')
      errs.push(notSupported(p, s.podReplacementPolicy, ['Failed']));
    else if (!(POD_REPLACEMENT_POLICIES as readonly string[]).includes(s.podReplacementPolicy))
      errs.push(notSupported(p, s.podReplacementPolicy, POD_REPLACEMENT_POLICIES));
  }
  errs.push(...validatePodTemplateSpec(s.template, child(path, 'template')));
  errs.push(...validateJobRestartPolicy(s, path));
  return errs;
}

/**
 * A Job's pods must not restart forever. Defaulting turns an empty restartPolicy into Always,
 * so both are reported as a missing value with the valid ones named, as upstream does.
 */
function validateJobRestartPolicy(s: Partial<JobSpec>, path: string): FieldError[] {
  const p = child(path, 'template', 'spec', 'restartPolicy');
  const policy = s.template?.spec?.restartPolicy ?? '';
  if (policy === 'Always' || policy === '') return [required(p, 'valid values: "OnFailure", "Never"')];
  if (!(JOB_RESTART_POLICIES as readonly string[]).includes(policy))
    return [notSupported(p, policy, JOB_RESTART_POLICIES)];
  if (s.podFailurePolicy && policy !== 'Never')
    return [invalidValue(p, policy, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

/** ValidateJobSpec: the body rules, a valid selector, and a template the selector matches. */
export function validateJobSpec(spec: JobSpec | undefined, path: string): FieldError[] {
  const errs = validateJobSpecBody(spec, path);
  const selPath = child(path, 'selector');
  if (!spec?.selector) {
    errs.push(required(selPath, ''));
    return errs;
  }
  const selectorErrs = validateLabelSelector(
    spec.selector,
    { allowInvalidLabelValueInSelector: false },
    selPath,
  );
  errs.push(...selectorErrs);
  const labels = spec.template?.metadata?.labels;
  if (selectorErrs.length === 0 && !selectorMatches(spec.selector, labels)) {
    errs.push(
      invalidValue(child(path, 'template', 'metadata', 'labels'), labels ?? {}, SELECTOR_MISMATCH_MSG),
    );
  }
  return errs;
}

/**
 * ValidateJobSpecUpdate: selector, completionMode and the failure policy never change;
 * completions only for an Indexed Job scaled elastically (parallelism follows); the pod
 * template only while the Job is suspended (upstream's mutable scheduling directives, which
 * it allows on a Job that never started).
 */
export function validateJobSpecUpdate(
  spec: JobSpec | undefined,
  old: JobSpec | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateImmutableField(spec?.selector, old?.selector, child(path, 'selector')));
  errs.push(
    ...validateImmutableField(spec?.completionMode, old?.completionMode, child(path, 'completionMode')),
  );
  errs.push(
    ...validateImmutableField(spec?.podFailurePolicy, old?.podFailurePolicy, child(path, 'podFailurePolicy')),
  );
  const elastic =
    spec?.completionMode === 'Indexed' &&
    spec.completions === spec.parallelism &&
    old?.completions === old?.parallelism;
  if (!elastic)
    errs.push(...validateImmutableField(spec?.completions, old?.completions, child(path, 'completions')));
  if (old?.suspend !== true)
    errs.push(...validateImmutableField(spec?.template, old?.template, child(path, 'template')));
  return errs;
}
