/**
 * CronJob validation, as upstream's ValidateCronJobCreate / ValidateCronJobUpdate
 * (pkg/apis/batch/validation): the name leaves room for the `-<minutes>` suffix of its Jobs,
 * the schedule parses (robfig's ParseStandard, see schedule.ts) and names no TZ, the time zone
 * is an explicit IANA zone, the policies are known, and the job template is a valid JobSpec.
 */
import type { CronJob } from 'kubernetes-types/batch/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, invalidValue, notSupported, required } from '../../validation/field.js';
import { validateJobSpecBody } from '../../validation/job-spec.js';
import { validateAnnotations, validateLabelSelector, validateLabels } from '../../validation/labels.js';
import { validateNonnegativeField } from '../../validation/objectmeta.js';
import { isKnownTimeZone, parseSchedule, ScheduleError } from './schedule.js';

/** 63 (a label value) minus the 11 characters of `-<minutes since epoch>`. */
export const CRONJOB_NAME_MAX_LENGTH = 52;
const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'] as const;
const VALID_TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateSchedule(schedule: string): FieldError[] {
  const path = 'spec.schedule';
  if (!schedule) return [required(path, '')];
  const errs: FieldError[] = [];
  if (schedule.includes('TZ'))
    return [invalidValue(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')];
  try {
    parseSchedule(schedule);
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    errs.push(invalidValue(path, schedule, e.message));
  }
  return errs;
}

function validateTimeZone(timeZone: string | undefined): FieldError[] {
  if (timeZone === undefined || timeZone === null) return [];
  const path = 'spec.timeZone';
  if (timeZone === '') return [invalidValue(path, timeZone, 'timeZone must be nil or non-empty string')];
  if (timeZone.toLowerCase() === 'local')
    return [
      invalidValue(
        path,
        timeZone,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    ];
  const badPart = timeZone
    .split('/')
    .some((p) => p === '.' || p === '..' || p.startsWith('-') || !VALID_TIME_ZONE_PART.test(p));
  if (badPart || !isKnownTimeZone(timeZone))
    return [invalidValue(path, timeZone, `unknown time zone ${timeZone}`)];
  return [];
}

function validateCronJobSpec(cj: CronJob): FieldError[] {
  const spec = cj.spec;
  const errs: FieldError[] = [];
  errs.push(...validateSchedule(spec?.schedule ?? ''));
  errs.push(...validateTimeZone(spec?.timeZone));
  errs.push(...validateNonnegativeField(spec?.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  const policy = spec?.concurrencyPolicy ?? '';
  if (!policy) errs.push(required('spec.concurrencyPolicy', ''));
  else if (!(CONCURRENCY_POLICIES as readonly string[]).includes(policy))
    errs.push(notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES));
  errs.push(...validateNonnegativeField(spec?.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegativeField(spec?.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  const tpl = spec?.jobTemplate;
  errs.push(...validateLabels(tpl?.metadata?.labels, 'spec.jobTemplate.metadata.labels'));
  errs.push(...validateAnnotations(tpl?.metadata?.annotations, 'spec.jobTemplate.metadata.annotations'));
  errs.push(...validateJobSpecBody(tpl?.spec, 'spec.jobTemplate.spec'));
  if (tpl?.spec?.selector)
    errs.push(
      ...validateLabelSelector(
        tpl.spec.selector,
        { allowInvalidLabelValueInSelector: false },
        'spec.jobTemplate.spec.selector',
      ),
    );
  return errs;
}

/**
 * Create and update alike (the registry runs `validate` on both). Upstream lets an update keep
 * a TZ= schedule stored before 1.27; podbay never stored one, so TZ is always refused.
 */
export function validateCronJob(cj: CronJob): FieldError[] {
  const errs = validateKubeFinalizerNames(cj.metadata);
  const name = cj.metadata?.name ?? '';
  if (name.length > CRONJOB_NAME_MAX_LENGTH)
    errs.push(
      invalidValue('metadata.name', name, `must be no more than ${CRONJOB_NAME_MAX_LENGTH} characters`),
    );
  errs.push(...validateCronJobSpec(cj));
  return errs;
}
