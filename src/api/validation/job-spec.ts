/**
 * batch/v1 JobSpec rules shared by Jobs and CronJob job templates, as upstream's
 * pkg/apis/batch/validation (validateJobSpec / ValidateJobSpec / ValidateJobSpecUpdate).
 * The spec is expected to be defaulted first (a template restartPolicy left empty has become
 * Always by then, which is why "Always" is reported as a missing value, as upstream does).
 */
import type { JobSpec } from 'kubernetes-types/batch/v1';
import { type FieldError, forbidden, GoValue, invalidValue, notSupported, required } from './field.js';
import { validatePodFailurePolicy, validateSuccessPolicy } from './job-policies.js';
import { selectorMatches, validateLabelSelector } from './labels.js';
import { validateImmutableField, validateNonnegativeField } from './objectmeta.js';
import { child } from './path.js';
import { validatePodTemplateSpec } from './podspec.js';
import { SELECTOR_MISMATCH_MSG } from './workload.js';

export const COMPLETION_MODES = ['NonIndexed', 'Indexed'] as const;
export const POD_REPLACEMENT_POLICIES = ['TerminatingOrFailed', 'Failed'] as const;
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'] as const;
/**
 * managedBy hands a Job to an external controller; podbay runs no other Job controller, so
 * the field is refused by name rather than stored and silently ignored.
 */
const UNIMPLEMENTED_FIELDS = ['managedBy'] as const;
const UNIMPLEMENTED = "podbay's Job controller does not implement this field";
/** Upstream's maxParallelismForIndexedJob and maxFailedIndexesForIndexedJob. */
const MAX_PARALLELISM_INDEXED = 100_000;
const MAX_FAILED_INDEXES_INDEXED = 100_000;
/**
 * Upstream's completionsSoftLimit, parallelismLimitForHighCompletions and
 * maxFailedIndexesLimitForHighCompletions: the caps of an Indexed Job with backoffLimitPerIndex
 * and more than 100000 completions.
 */
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000;

const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

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
  errs.push(
    ...validateNonnegativeField(s.backoffLimitPerIndex ?? undefined, child(path, 'backoffLimitPerIndex')),
  );
  if (isSet(s.maxFailedIndexes)) {
    errs.push(...validateNonnegativeField(s.maxFailedIndexes, child(path, 'maxFailedIndexes')));
    if (!isSet(s.backoffLimitPerIndex))
      errs.push(required(child(path, 'backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (s.completionMode !== undefined) {
    const modePath = child(path, 'completionMode');
    if (!(COMPLETION_MODES as readonly string[]).includes(s.completionMode))
      errs.push(notSupported(modePath, s.completionMode, COMPLETION_MODES));
    if (s.completionMode === 'Indexed') errs.push(...validateIndexedLimits(s, path));
  }
  if (s.completionMode === undefined || s.completionMode === 'NonIndexed') {
    if (isSet(s.backoffLimitPerIndex))
      errs.push(
        invalidValue(
          child(path, 'backoffLimitPerIndex'),
          s.backoffLimitPerIndex,
          'requires indexed completion mode',
        ),
      );
    if (isSet(s.maxFailedIndexes))
      errs.push(
        invalidValue(child(path, 'maxFailedIndexes'), s.maxFailedIndexes, 'requires indexed completion mode'),
      );
  }
  if (s.podFailurePolicy) errs.push(...validatePodFailurePolicy(s, child(path, 'podFailurePolicy')));
  if (s.successPolicy) {
    const p = child(path, 'successPolicy');
    if (s.completionMode !== 'Indexed')
      errs.push(invalidValue(p, successPolicyGoValue(s.successPolicy), 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(s, p));
  }
  if (s.podReplacementPolicy !== undefined) {
    const p = child(path, 'podReplacementPolicy');
    if (s.podFailurePolicy) {
      if (s.podReplacementPolicy !== 'Failed') errs.push(notSupported(p, s.podReplacementPolicy, ['Failed']));
    } else if (!(POD_REPLACEMENT_POLICIES as readonly string[]).includes(s.podReplacementPolicy))
      errs.push(notSupported(p, s.podReplacementPolicy, POD_REPLACEMENT_POLICIES));
  }
  errs.push(...validatePodTemplateSpec(s.template, child(path, 'template')));
  errs.push(...validateJobRestartPolicy(s, path));
  return errs;
}

/** validateJobSpec's Indexed branch: parallelism, maxFailedIndexes and the high-completions caps. */
function validateIndexedLimits(s: Partial<JobSpec>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(s.completions))
    errs.push(required(child(path, 'completions'), 'when completion mode is Indexed'));
  if (isSet(s.parallelism) && s.parallelism > MAX_PARALLELISM_INDEXED)
    errs.push(
      invalidValue(
        child(path, 'parallelism'),
        s.parallelism,
        `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`,
      ),
    );
  const maxFailed = s.maxFailedIndexes;
  const maxFailedPath = child(path, 'maxFailedIndexes');
  if (isSet(s.completions) && isSet(maxFailed) && maxFailed > s.completions)
    errs.push(invalidValue(maxFailedPath, maxFailed, 'must be less than or equal to completions'));
  if (isSet(maxFailed) && maxFailed > MAX_FAILED_INDEXES_INDEXED)
    errs.push(
      invalidValue(maxFailedPath, maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES_INDEXED}`),
    );
  if (isSet(s.completions) && s.completions > COMPLETIONS_SOFT_LIMIT && isSet(s.backoffLimitPerIndex)) {
    const high = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (!isSet(maxFailed))
      errs.push(
        required(maxFailedPath, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`),
      );
    if (isSet(s.parallelism) && s.parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS)
      errs.push(
        invalidValue(
          child(path, 'parallelism'),
          s.parallelism,
          `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${high}`,
        ),
      );
    if (isSet(maxFailed) && maxFailed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS)
      errs.push(
        invalidValue(
          maxFailedPath,
          maxFailed,
          `must be less than or equal to ${MAX_FAILED_INDEXES_HIGH_COMPLETIONS} ${high}`,
        ),
      );
  }
  return errs;
}

/**
 * Go's %#v of a batch.SuccessPolicy, as upstream reports it whole; its pointer fields print as
 * addresses there, written here as a fixed placeholder so the text stays deterministic.
 */
function successPolicyGoValue(policy: NonNullable<JobSpec['successPolicy']>): GoValue {
  const ptr = (type: string, v: unknown): string =>
    isSet(v) ? `(*${type})(0xc000000000)` : `(*${type})(nil)`;
  const rules = (policy.rules ?? []).map(
    (r) =>
      `batch.SuccessPolicyRule{SucceededIndexes:${ptr('string', r.succeededIndexes)}, SucceededCount:${ptr('int32', r.succeededCount)}}`,
  );
  return new GoValue(`batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{${rules.join(', ')}}}`);
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
 * ValidateJobSpecUpdate: selector, completionMode, podFailurePolicy, backoffLimitPerIndex,
 * managedBy and successPolicy never change;
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
  errs.push(
    ...validateImmutableField(
      spec?.backoffLimitPerIndex,
      old?.backoffLimitPerIndex,
      child(path, 'backoffLimitPerIndex'),
    ),
  );
  errs.push(...validateImmutableField(spec?.managedBy, old?.managedBy, child(path, 'managedBy')));
  errs.push(...validateImmutableField(spec?.successPolicy, old?.successPolicy, child(path, 'successPolicy')));
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
