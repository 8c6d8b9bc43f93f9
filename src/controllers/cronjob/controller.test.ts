import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { KubeObject } from '../../api/types.js';
import { newRegistryHarness, type RegistryHarness } from '../job/testing/registry-harness.js';
import { CronJobController } from './controller.js';

type CronJobObj = CronJob & KubeObject;
type JobObj = Job & KubeObject;

function cronJob(name: string, spec: Partial<NonNullable<CronJob['spec']>> = {}): CronJobObj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/1 * * * *',
      timeZone: 'UTC',
      jobTemplate: {
        metadata: { labels: { team: 'a' } },
        spec: {
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
      ...spec,
    },
  };
}

const minuteName = (name: string, at: string) => `${name}-${Date.parse(at) / 60_000}`;

describe('CronJobController (real registry, injected clock)', () => {
  let h: RegistryHarness;
  let controller: CronJobController;
  afterEach(() => h.close());

  function start(): void {
    h = newRegistryHarness(); // the clock starts at 2026-01-01T00:00:30Z
    controller = new CronJobController(h.deps, { resyncPeriodMs: 0 });
    h.run(controller);
  }

  /** Moves the clock and looks again, as the delayed requeue would at that moment. */
  async function at(iso: string): Promise<void> {
    h.clock.advance((Date.parse(iso) - h.clock.now().getTime()) / 1000);
    controller.resync();
    await h.settle();
  }

  const jobs = () => h.registry.list<JobObj>('jobs', { namespace: 'default' });
  const status = (name: string) => h.registry.get<CronJobObj>('cronjobs', 'default', name)!.status ?? {};

  function finish(job: JobObj, type: 'Complete' | 'Failed', when: string): void {
    const cur = h.registry.get<JobObj>('jobs', 'default', job.metadata.name!)!;
    h.registry.updateStatus('jobs', {
      ...cur,
      status: {
        startTime: when,
        ...(type === 'Complete' && { completionTime: when, succeeded: 1 }),
        conditions: [{ type, status: 'True', lastTransitionTime: when }],
      },
    });
  }

  test('starts one Job per activation, named by the minute, and records it in status', async () => {
    start();
    h.registry.create('cronjobs', cronJob('hello'));
    await h.settle();
    assert.equal(jobs().length, 0, 'nothing before the first activation');
    await at('2026-01-01T00:01:05Z');
    const [job] = jobs();
    assert.equal(job?.metadata.name, minuteName('hello', '2026-01-01T00:01:00Z'));
    assert.equal(
      job?.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
      '2026-01-01T00:01:00Z',
    );
    assert.equal(job?.metadata.labels?.team, 'a');
    assert.equal(job?.metadata.ownerReferences?.[0]?.kind, 'CronJob');
    assert.equal(job?.spec?.backoffLimit, 6, 'the created Job is defaulted as any Job');
    const st = status('hello');
    assert.equal(st.lastScheduleTime, '2026-01-01T00:01:00Z');
    assert.deepEqual(
      st.active?.map((r) => r.name),
      [job?.metadata.name],
    );
    await at('2026-01-01T00:01:40Z');
    assert.equal(jobs().length, 1, 'the same activation never starts twice');
    assert.deepEqual(h.events.lines('SuccessfulCreate'), [
      `Normal SuccessfulCreate Created job ${job?.metadata.name}`,
    ]);
  });

  test('a finished Job leaves active; a successful one sets lastSuccessfulTime', async () => {
    start();
    h.registry.create('cronjobs', cronJob('hello'));
    await at('2026-01-01T00:01:01Z');
    finish(jobs()[0]!, 'Complete', '2026-01-01T00:01:09Z');
    await h.settle();
    const st = status('hello');
    assert.equal(st.active, undefined);
    assert.equal(st.lastSuccessfulTime, '2026-01-01T00:01:09Z');
    assert.match(
      h.events.lines('SawCompletedJob')[0] ?? '',
      /Saw completed job: hello-\d+, condition: Complete$/,
    );
  });

  test('concurrencyPolicy Forbid skips while a Job runs; Replace deletes it and starts anew', async () => {
    start();
    h.registry.create('cronjobs', cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    h.registry.create('cronjobs', cronJob('replace', { concurrencyPolicy: 'Replace' }));
    await at('2026-01-01T00:01:01Z');
    await at('2026-01-01T00:02:01Z');
    const names = jobs().map((j) => j.metadata.name);
    assert.deepEqual(
      names.filter((n) => n?.startsWith('forbid')),
      [minuteName('forbid', '2026-01-01T00:01:00Z')],
    );
    assert.ok(
      h.events
        .lines('JobAlreadyActive')
        .includes(
          'Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid',
        ),
    );
    assert.deepEqual(
      names.filter((n) => n?.startsWith('replace')),
      [minuteName('replace', '2026-01-01T00:02:00Z')],
    );
    assert.deepEqual(
      status('replace').active?.map((r) => r.name),
      [minuteName('replace', '2026-01-01T00:02:00Z')],
    );
  });

  test('startingDeadlineSeconds: an activation older than the deadline is skipped, not started late', async () => {
    start();
    h.registry.create('cronjobs', cronJob('late', { startingDeadlineSeconds: 10 }));
    await at('2026-01-01T00:01:30Z');
    assert.equal(jobs().length, 0, '00:01:00 is 30 s old, past the 10 s deadline');
    assert.equal(status('late').lastScheduleTime, undefined);
    await at('2026-01-01T00:02:05Z');
    assert.equal(jobs().length, 1, 'the next activation, within the deadline, starts');
  });

  test('suspend stops new Jobs; @hourly in a time zone fires on its hour', async () => {
    start();
    h.registry.create('cronjobs', cronJob('paused', { suspend: true }));
    h.registry.create('cronjobs', cronJob('hourly', { schedule: '@hourly', timeZone: 'Asia/Kolkata' }));
    await at('2026-01-01T00:29:59Z');
    assert.equal(jobs().length, 0);
    // Kolkata is UTC+05:30: its hours start at :30 UTC.
    await at('2026-01-01T00:30:00Z');
    const [job] = jobs();
    assert.equal(jobs().length, 1, 'the suspended CronJob started nothing');
    assert.equal(job?.metadata.name, minuteName('hourly', '2026-01-01T00:30:00Z'));
    assert.equal(
      job?.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
      '2026-01-01T06:00:00+05:30',
    );
  });

  test('history limits keep the newest finished Jobs', async () => {
    start();
    h.registry.create(
      'cronjobs',
      cronJob('hist', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }),
    );
    for (const minute of ['01', '02', '03']) {
      await at(`2026-01-01T00:${minute}:01Z`);
      const newest = jobs().find(
        (j) => j.metadata.name === minuteName('hist', `2026-01-01T00:${minute}:00Z`),
      )!;
      finish(newest, minute === '02' ? 'Failed' : 'Complete', `2026-01-01T00:${minute}:05Z`);
      await h.settle();
    }
    assert.deepEqual(
      jobs()
        .map((j) => j.metadata.name)
        .sort(),
      [minuteName('hist', '2026-01-01T00:02:00Z'), minuteName('hist', '2026-01-01T00:03:00Z')].sort(),
    );
    assert.deepEqual(h.events.lines('SuccessfulDelete'), [
      `Normal SuccessfulDelete Deleted job ${minuteName('hist', '2026-01-01T00:01:00Z')}`,
    ]);
  });

  test('a Job it did not create is reported as unexpected', async () => {
    start();
    const cj = h.registry.create<CronJobObj>('cronjobs', cronJob('hello'));
    h.registry.create('jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'manual',
        namespace: 'default',
        annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid!, controller: true },
        ],
      },
      spec: structuredClone(cj.spec!.jobTemplate.spec!),
    } as JobObj);
    await h.settle();
    assert.deepEqual(h.events.lines('UnexpectedJob'), [
      'Warning UnexpectedJob Saw a job that the controller did not create or forgot: manual',
    ]);
  });
});
