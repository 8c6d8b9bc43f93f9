/**
 * `kubectl get jobs` columns (printers.go printJob, 1.32):
 *   Name, Status, Completions, Duration, Age | Containers, Images, Selector.
 * Duration is completionTime - startTime, or the time since startTime while the Job runs, or
 * empty before it starts.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import { layoutContainerCells } from '../printers/cells.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  column,
  IMAGES_COLUMN,
  NAME_COLUMN,
  wideColumn,
} from '../printers/columns.js';
import { humanDuration } from '../printers/duration.js';
import { formatLabelSelector } from '../printers/label-selector.js';
import { ageOf, parseTimestamp } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';
import { jobCompletionsCell, jobStatusCell } from './status-cell.js';

// batchv1.JobStatus / JobSpec SwaggerDoc() strings, k8s.io/api v0.32.
const SUCCEEDED_DOC =
  'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.';
export const JOB_SELECTOR_DOC =
  'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

function durationCell(job: Job, now: Date): string {
  const start = parseTimestamp(job.status?.startTime, 'status.startTime');
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime, 'status.completionTime') ?? now.getTime();
  return humanDuration(end - start);
}

export const jobTable: TableConvertor<Job> = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', SUCCEEDED_DOC),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', 'string', JOB_SELECTOR_DOC),
  ],
  row(job, now) {
    const { names, images } = layoutContainerCells(job.spec?.template?.spec?.containers);
    return [
      job.metadata?.name ?? '',
      jobStatusCell(job),
      jobCompletionsCell(job),
      durationCell(job, now),
      ageOf(job.metadata, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};
