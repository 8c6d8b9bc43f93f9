/** The Job a CronJob starts for one activation, as upstream's getJobFromTemplate2. */
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from '../../api/registry/jobs/labels.js';
import type { KubeObject } from '../../api/types.js';
import { newControllerRef } from '../util/owners.js';
import { formatRFC3339InZone, jobNameFor } from './schedule-times.js';

export type CronJobObj = CronJob & KubeObject;
export type JobObj = Job & KubeObject;

export function jobFromTemplate(cj: CronJobObj, scheduledMs: number): JobObj {
  const tpl = cj.spec?.jobTemplate ?? {};
  const annotations = {
    ...tpl.metadata?.annotations,
    [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: formatRFC3339InZone(scheduledMs, cj.spec?.timeZone),
  };
  const job: JobObj = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cj.metadata.name!, scheduledMs),
      namespace: cj.metadata.namespace,
      annotations,
      ownerReferences: [newControllerRef(cj)],
    },
    spec: structuredClone(tpl.spec ?? { template: {} }),
  };
  if (tpl.metadata?.labels) job.metadata.labels = { ...tpl.metadata.labels };
  return job;
}
