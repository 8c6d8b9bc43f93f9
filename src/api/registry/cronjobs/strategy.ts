import type { CronJob } from 'kubernetes-types/batch/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultCronJob } from './defaults.js';
import { cronJobTable } from './table.js';
import { validateCronJob } from './validation.js';

/** batch/v1 CronJob, as pkg/registry/batch/cronjob: status is a subresource. */
export const cronJobStrategy = defineStrategy<CronJob>({
  info: resourceInfo({
    group: 'batch',
    resource: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
  }),
  hasStatus: true,
  tracksGeneration: true,
  table: cronJobTable,
  defaults: (cj) => defaultCronJob(cj),
  validate: (cj) => validateCronJob(cj),
});
