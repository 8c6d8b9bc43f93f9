/**
 * `kubectl get cronjobs` columns (printers.go printCronJob, 1.32):
 *   Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age | Containers, Images, Selector.
 */
import type { CronJob } from 'kubernetes-types/batch/v1';
import { JOB_SELECTOR_DOC } from '../jobs/table.js';
import { layoutContainerCells, NONE } from '../printers/cells.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  column,
  IMAGES_COLUMN,
  NAME_COLUMN,
  wideColumn,
} from '../printers/columns.js';
import { formatLabelSelector } from '../printers/label-selector.js';
import { ageOf, translateTimestampSince } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// batchv1beta1.CronJobSpec / CronJobStatus SwaggerDoc() strings, k8s.io/api v0.32 (printers.go
// takes them from batch/v1beta1).
const SCHEDULE_DOC = 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.';
const TIME_ZONE_DOC =
  'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones';
const SUSPEND_DOC =
  'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.';
const ACTIVE_DOC = 'A list of pointers to currently running jobs.';
const LAST_SCHEDULE_DOC = 'Information when was the last time the job was successfully scheduled.';

/** printBoolPtr: "<unset>" for nil, else "True" / "False". */
const boolPtrCell = (v: boolean | undefined): string =>
  v === undefined || v === null ? '<unset>' : v ? 'True' : 'False';

export const cronJobTable: TableConvertor<CronJob> = {
  columns: [
    NAME_COLUMN,
    column('Schedule', 'string', SCHEDULE_DOC),
    column('Timezone', 'string', TIME_ZONE_DOC),
    column('Suspend', 'boolean', SUSPEND_DOC),
    column('Active', 'integer', ACTIVE_DOC),
    column('Last Schedule', 'string', LAST_SCHEDULE_DOC),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', 'string', JOB_SELECTOR_DOC),
  ],
  row(cj, now) {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const { names, images } = layoutContainerCells(jobSpec?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime;
    return [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? NONE,
      boolPtrCell(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      last ? translateTimestampSince(last, now, 'status.lastScheduleTime') : NONE,
      ageOf(cj.metadata, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
