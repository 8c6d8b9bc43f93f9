import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CronJob } from 'kubernetes-types/batch/v1';
import { cronJobTable } from './table.js';

const NOW = new Date('2026-01-01T01:00:00Z');

describe('kubectl get cronjobs (printCronJob, 1.32)', () => {
  test('columns: Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age | wide', () => {
    assert.deepEqual(
      cronJobTable.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
      [
        'Name:string:0',
        'Schedule:string:0',
        'Timezone:string:0',
        'Suspend:boolean:0',
        'Active:integer:0',
        'Last Schedule:string:0',
        'Age:string:0',
        'Containers:string:1',
        'Images:string:1',
        'Selector:string:1',
      ],
    );
  });

  test('rows: <none> for no time zone or schedule yet, the suspend flag, active count', () => {
    const cj: CronJob = {
      metadata: { name: 'hello', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        schedule: '*/1 * * * *',
        suspend: false,
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox' }] } } } },
      },
    };
    assert.deepEqual(cronJobTable.row(cj, NOW), [
      'hello',
      '*/1 * * * *',
      '<none>',
      'False',
      0,
      '<none>',
      '60m',
      'hello',
      'busybox',
      '<none>',
    ]);
    const running: CronJob = {
      ...cj,
      spec: { ...cj.spec!, timeZone: 'Europe/Berlin', suspend: true },
      status: { active: [{ name: 'hello-1' }], lastScheduleTime: '2026-01-01T00:59:00Z' },
    };
    assert.deepEqual(cronJobTable.row(running, NOW).slice(0, 6), [
      'hello',
      '*/1 * * * *',
      'Europe/Berlin',
      'True',
      1,
      '60s',
    ]);
  });
});
