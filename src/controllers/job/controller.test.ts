import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1';
import { JOB_TRACKING_FINALIZER } from '../../api/registry/jobs/labels.js';
import type { KubeObject } from '../../api/types.js';
import {
  type JobControllerHarness,
  podsOfJob,
  type RegistryHarness,
  setPodPhase,
  startJobController,
} from './testing/registry-harness.js';

type JobObj = Job & KubeObject;

function job(name: string, spec: Partial<NonNullable<Job['spec']>> = {}, restartPolicy = 'Never'): JobObj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
  };
}

const getJob = (h: RegistryHarness, name: string) => h.registry.get<JobObj>('jobs', 'default', name)!;
const conditions = (j: JobObj) =>
  (j.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`);
const live = (h: RegistryHarness, name: string) =>
  podsOfJob(h, name).filter((p) => !p.metadata.deletionTimestamp);

describe('JobController (real registry)', () => {
  let h: JobControllerHarness;
  beforeEach(() => {
    h = startJobController();
  });
  afterEach(() => h.close());

  test('a Job runs one pod to completion: tracking finalizer, counts, conditions, events', async () => {
    const created = h.registry.create('jobs', job('pi'));
    await h.settle();
    const [pod] = podsOfJob(h, 'pi');
    assert.ok(pod, 'one pod created');
    assert.equal(podsOfJob(h, 'pi').length, 1);
    assert.equal(pod.metadata.generateName, 'pi-');
    assert.deepEqual(pod.metadata.finalizers, [JOB_TRACKING_FINALIZER]);
    assert.deepEqual(pod.metadata.ownerReferences?.[0], {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: 'pi',
      uid: created.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    let j = getJob(h, 'pi');
    assert.equal(j.status?.active, 1);
    assert.equal(j.status?.startTime, '2026-01-01T00:00:30Z');
    assert.deepEqual(j.status?.uncountedTerminatedPods, {});

    h.clock.advance(5);
    setPodPhase(h, pod, 'Succeeded');
    await h.settle();
    j = getJob(h, 'pi');
    assert.equal(j.status?.succeeded, 1);
    assert.equal(j.status?.active, undefined);
    assert.deepEqual(conditions(j), [
      'SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods',
      'Complete=True CompletionsReached: Reached expected number of succeeded pods',
    ]);
    assert.equal(j.status?.completionTime, '2026-01-01T00:00:35Z');
    assert.deepEqual(podsOfJob(h, 'pi')[0]?.metadata.finalizers, undefined, 'finalizer removed once counted');
    assert.deepEqual(
      h.events.lines().filter((l) => !l.startsWith('Normal SuccessfulCreate')),
      ['Normal Completed Job completed'],
    );
  });

  test('failures are replaced after the backoff until backoffLimit, then FailureTarget and Failed', async () => {
    h.registry.create('jobs', job('bad', { backoffLimit: 1 }));
    await h.settle();
    setPodPhase(h, live(h, 'bad')[0]!, 'Failed');
    await h.settle();
    assert.equal(getJob(h, 'bad').status?.failed, 1);
    assert.equal(
      live(h, 'bad').filter((p) => p.status?.phase !== 'Failed').length,
      0,
      'no replacement before 10 s',
    );
    h.clock.advance(10);
    // The delayed requeue uses a real timer; a resync after the clock moves stands in for it.
    await h.resyncAll();
    const second = live(h, 'bad').filter((p) => p.status?.phase !== 'Failed');
    assert.equal(second.length, 1, 'one replacement after the backoff');
    setPodPhase(h, second[0]!, 'Failed');
    await h.settle();
    const j = getJob(h, 'bad');
    assert.equal(j.status?.failed, 2);
    assert.deepEqual(conditions(j), [
      'FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit',
      'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit',
    ]);
    assert.equal(j.status?.completionTime, undefined);
    assert.ok(
      h.events.lines().includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'),
    );
  });

  test('parallelism 2, completions 3: two at a time, a third after a success, then Complete', async () => {
    h.registry.create('jobs', job('par', { parallelism: 2, completions: 3 }));
    await h.settle();
    assert.equal(live(h, 'par').length, 2);
    setPodPhase(h, live(h, 'par')[0]!, 'Succeeded');
    await h.settle();
    const running = live(h, 'par').filter((p) => p.status?.phase !== 'Succeeded');
    assert.equal(running.length, 2, 'one more pod for the remaining two completions');
    for (const p of running) setPodPhase(h, p, 'Succeeded');
    await h.settle();
    const j = getJob(h, 'par');
    assert.equal(j.status?.succeeded, 3);
    assert.equal(podsOfJob(h, 'par').length, 3, 'never more pods than completions');
    assert.ok(conditions(j).some((c) => c.startsWith('Complete=True')));
  });

  test('activeDeadlineSeconds fails the Job with DeadlineExceeded and deletes its pods', async () => {
    h.registry.create('jobs', job('slow', { activeDeadlineSeconds: 30 }));
    await h.settle();
    h.registry.bind('default', live(h, 'slow')[0]!.metadata.name!, 'node-1');
    setPodPhase(h, live(h, 'slow')[0]!, 'Running', { ready: true });
    await h.settle();
    h.clock.advance(29);
    await h.resyncAll();
    assert.equal(conditions(getJob(h, 'slow')).length, 0, 'nothing before the deadline');
    h.clock.advance(2);
    await h.resyncAll();
    // The running pod was deleted with a grace period and counted as failed: only FailureTarget until
    // it has terminated (upstream waits for terminating pods before Failed).
    assert.deepEqual(conditions(getJob(h, 'slow')), [
      'FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline',
    ]);
    const terminating = podsOfJob(h, 'slow');
    assert.equal(terminating.length, 1, 'the pod stays while its grace period runs');
    assert.ok(terminating[0]!.metadata.deletionTimestamp);
    // The kubelet's final delete once the containers stopped (grace 0): now the pod goes.
    h.registry.delete('pods', 'default', terminating[0]!.metadata.name!, { gracePeriodSeconds: 0 });
    await h.resyncAll();
    const j = getJob(h, 'slow');
    assert.deepEqual(conditions(j), [
      'FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline',
      'Failed=True DeadlineExceeded: Job was active longer than specified deadline',
    ]);
    assert.equal(j.status?.failed, 1);
    assert.ok(
      h.events.lines().includes('Warning DeadlineExceeded Job was active longer than specified deadline'),
    );
    assert.equal(podsOfJob(h, 'slow').length, 0, 'pod gone after the final delete');
  });

  test('restartPolicy OnFailure: container restarts count against backoffLimit', async () => {
    h.registry.create('jobs', job('flaky', { backoffLimit: 2 }, 'OnFailure'));
    await h.settle();
    setPodPhase(h, live(h, 'flaky')[0]!, 'Running', { restartCount: 2 });
    await h.settle();
    assert.ok(
      conditions(getJob(h, 'flaky')).some((c) => c.startsWith('FailureTarget=True BackoffLimitExceeded')),
    );
  });

  test('suspend deletes active pods and records Suspended; resume creates them again', async () => {
    h.registry.create('jobs', job('sus', { suspend: true }));
    await h.settle();
    assert.equal(podsOfJob(h, 'sus').length, 0);
    let j = getJob(h, 'sus');
    assert.deepEqual(conditions(j), ['Suspended=True JobSuspended: Job suspended']);
    assert.equal(j.status?.startTime, undefined);
    h.registry.update('jobs', { ...j, spec: { ...j.spec!, suspend: false } });
    await h.settle();
    j = getJob(h, 'sus');
    assert.deepEqual(conditions(j), ['Suspended=False JobResumed: Job resumed']);
    assert.equal(live(h, 'sus').length, 1);
  });

  test('pods removed by lowering parallelism or by suspending are released first, never counted as failed', async () => {
    h.registry.create('jobs', job('calm', { parallelism: 3, completions: 6 }));
    await h.settle();
    assert.equal(live(h, 'calm').length, 3);
    let j = getJob(h, 'calm');
    h.registry.update('jobs', { ...j, spec: { ...j.spec!, parallelism: 1 } });
    await h.settle();
    // Unscheduled pods go at once unless a finalizer holds them: the tracking one was removed first.
    assert.equal(podsOfJob(h, 'calm').length, 1, 'the two surplus pods are gone, not held as terminating');
    j = getJob(h, 'calm');
    assert.equal(j.status?.failed, undefined, 'lowering parallelism failed nothing');
    h.registry.update('jobs', { ...j, spec: { ...j.spec!, suspend: true } });
    await h.settle();
    await h.resyncAll();
    assert.equal(podsOfJob(h, 'calm').length, 0);
    j = getJob(h, 'calm');
    assert.equal(j.status?.failed, undefined, 'nothing failed');
    assert.deepEqual(j.status?.uncountedTerminatedPods, {});
    assert.deepEqual(conditions(j), ['Suspended=True JobSuspended: Job suspended']);
  });

  test('a deleted Job releases the tracking finalizer of its pods', async () => {
    h.registry.create('jobs', job('gone'));
    await h.settle();
    const [pod] = podsOfJob(h, 'gone');
    h.registry.delete('jobs', 'default', 'gone', { propagationPolicy: 'Background' });
    await h.settle();
    const after = h.registry.get<KubeObject>('pods', 'default', pod!.metadata.name!);
    assert.equal(after?.metadata.finalizers, undefined);
  });
});
