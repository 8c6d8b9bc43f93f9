/** The CronJob strategy through the real registry: defaults and upstream's validation messages. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CronJob } from 'kubernetes-types/batch/v1';
import type { Store } from '../../../store/sqlite-store.js';
import { openTestRegistry } from '../../testing/registry.js';
import type { KubeObject } from '../../types.js';
import type { Registry } from '../registry.js';

type CronJobObj = CronJob & KubeObject;

const cronJob = (
  name: string,
  spec: Partial<NonNullable<CronJob['spec']>> = {},
  restartPolicy = 'OnFailure',
): CronJobObj => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, namespace: 'default' },
  spec: {
    schedule: '*/1 * * * *',
    jobTemplate: {
      spec: { template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } } },
    },
    ...spec,
  },
});

describe('cronjobs strategy (registry)', () => {
  let store: Store;
  let registry: Registry;
  before(() => {
    ({ store, registry } = openTestRegistry());
  });
  after(() => store.close());

  const message = (obj: CronJobObj): string => {
    try {
      registry.create('cronjobs', obj);
    } catch (e) {
      return (e as Error).message;
    }
    return 'created';
  };

  test('defaults: Allow, not suspended, history 3 and 1; the job template is not Job-defaulted', () => {
    const cj = registry.create<CronJobObj>('cronjobs', cronJob('hello'));
    const s = cj.spec!;
    assert.deepEqual(
      [s.concurrencyPolicy, s.suspend, s.successfulJobsHistoryLimit, s.failedJobsHistoryLimit],
      ['Allow', false, 3, 1],
    );
    assert.equal(s.jobTemplate.spec?.backoffLimit, undefined);
    assert.equal(s.jobTemplate.spec?.template.spec?.dnsPolicy, 'ClusterFirst', 'pod template defaulted');
    assert.equal(cj.metadata.generation, 1);
  });

  test('schedule: parsed, no TZ=, named in the error', () => {
    assert.match(
      message(cronJob('bad', { schedule: 'every minute' })),
      /^CronJob\.batch "bad" is invalid: spec\.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: \[every minute\]$/,
    );
    assert.match(
      message(cronJob('tz', { schedule: 'TZ=UTC 0 * * * *' })),
      /spec\.schedule: Invalid value: "TZ=UTC 0 \* \* \* \*": cannot use TZ or CRON_TZ in schedule, use timeZone field instead/,
    );
    assert.match(message(cronJob('empty', { schedule: '' })), /spec\.schedule: Required value/);
    // A day of week a cluster refuses (cron-parser alone reads 7 as Sunday), in robfig's words.
    assert.match(
      message(cronJob('sunday', { schedule: '0 0 * * 7' })),
      /spec\.schedule: Invalid value: "0 0 \* \* 7": end of range \(7\) above maximum \(6\): 7$/,
    );
  });

  test('timeZone: an explicit IANA zone', () => {
    assert.equal(message(cronJob('berlin', { timeZone: 'Europe/Berlin' })), 'created');
    assert.match(
      message(cronJob('atlantis', { timeZone: 'Europe/Atlantis' })),
      /spec\.timeZone: Invalid value: "Europe\/Atlantis": unknown time zone Europe\/Atlantis/,
    );
    assert.match(
      message(cronJob('local', { timeZone: 'Local' })),
      /spec\.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https:\/\/www\.iana\.org\/time-zones/,
    );
  });

  test('policies, history limits, name length and the job template', () => {
    assert.match(
      message(cronJob('policy', { concurrencyPolicy: 'Sometimes' })),
      /spec\.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"/,
    );
    assert.match(
      message(cronJob('hist', { successfulJobsHistoryLimit: -1 })),
      /spec\.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0/,
    );
    assert.match(
      message(cronJob('x'.repeat(53))),
      /metadata\.name: Invalid value: "x{53}": must be no more than 52 characters/,
    );
    assert.match(
      message(cronJob('always', {}, 'Always')),
      /spec\.jobTemplate\.spec\.template\.spec\.restartPolicy: Required value: valid values: "OnFailure", "Never"/,
    );
  });
});
