import type { Job } from 'kubernetes-types/batch/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultJob } from './defaults.js';
import { generateSelector } from './selector.js';
import { jobTable } from './table.js';
import { validateJob, validateJobUpdate } from './validation.js';

/** batch/v1 Job, as pkg/registry/batch/job: status is a subresource, the selector is generated. */
export const jobStrategy = defineStrategy<Job>({
  info: resourceInfo({
    group: 'batch',
    resource: 'jobs',
    kind: 'Job',
    namespaced: true,
    categories: ['all'],
  }),
  hasStatus: true,
  tracksGeneration: true,
  table: jobTable,
  prepareForCreate(job) {
    delete job.status;
    generateSelector(job);
  },
  defaults: (job) => defaultJob(job),
  validate: (job) => validateJob(job),
  validateUpdate: (job, old) => validateJobUpdate(job, old),
});
