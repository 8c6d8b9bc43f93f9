/**
 * Job defaulting, as SetDefaults_Job (pkg/apis/batch/v1/defaults.go) plus the pod template's
 * defaults: completions and parallelism 1 when neither is set, parallelism 1, backoffLimit 6,
 * completionMode NonIndexed, suspend false, podReplacementPolicy TerminatingOrFailed (Failed
 * with a podFailurePolicy), and the Job's labels copied from its template when it has none.
 * Mutates; idempotent. Runs after the strategy's prepareForCreate, so the copied labels include
 * the generated controller-uid / job-name ones, as upstream's stored Jobs show.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import { defaultPodTemplateSpec } from '../../validation/podspec-defaults.js';

export const DEFAULT_BACKOFF_LIMIT = 6;
/** With backoffLimitPerIndex the global limit is effectively unbounded (math.MaxInt32). */
const MAX_INT32 = 2_147_483_647;

export function defaultJob(job: Job): void {
  job.metadata ??= {};
  job.spec ??= { template: {} };
  const spec = job.spec;
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : DEFAULT_BACKOFF_LIMIT;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  for (const rule of spec.podFailurePolicy?.rules ?? [])
    for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0)
    job.metadata.labels = { ...templateLabels };
  defaultPodTemplateSpec(spec.template);
}
