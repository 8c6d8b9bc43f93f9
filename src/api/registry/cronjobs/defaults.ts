/**
 * CronJob defaulting, as SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go) plus the job
 * template's pod defaults: concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit 3,
 * failedJobsHistoryLimit 1. The template's JobSpec is not defaulted (SetDefaults_Job applies
 * to Jobs only): the Job created from it is. Mutates; idempotent.
 */
import type { CronJob } from 'kubernetes-types/batch/v1';
import { defaultPodTemplateSpec } from '../../validation/podspec-defaults.js';

export function defaultCronJob(cj: CronJob): void {
  cj.metadata ??= {};
  cj.spec ??= { schedule: '', jobTemplate: {} };
  const spec = cj.spec;
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  spec.jobTemplate ??= {};
  // A job template's metadata is an ObjectMeta: a 1.32 server writes creationTimestamp null.
  spec.jobTemplate.metadata ??= {};
  const meta = spec.jobTemplate.metadata as { creationTimestamp?: string | null };
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  if (spec.jobTemplate.spec) defaultPodTemplateSpec(spec.jobTemplate.spec.template);
}
