/**
 * The Job controller's podFailurePolicy, backoffLimitPerIndex and successPolicy decisions
 * against the real registry (upstream 1.32's job_controller_test cases, reduced): the pods
 * are made to fail with the exit codes and conditions a kubelet would report.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import {
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_INDEX_FAILURE_COUNT_ANNOTATION,
  JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  JOB_TRACKING_FINALIZER,
} from '../../api/registry/jobs/labels.js';
import type { KubeObject } from '../../api/types.js';
import {
  type JobControllerHarness,
  podsOfJob,
  type RegistryHarness,
  setPodPhase,
  startJobController,
} from './testing/registry-harness.js';

type JobObj = Job & KubeObject;
type PodObj = Pod & KubeObject;
type Spec = Partial<NonNullable<Job['spec']>>;

function job(name: string, spec: Spec): JobObj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          initContainers: [{ name: 'setup', image: 'busybox' }],
          containers: [{ name: 'main', image: 'busybox' }],
        },
      },
      ...spec,
    },
  };
}

const getJob = (h: RegistryHarness, name: string) => h.registry.get<JobObj>('jobs', 'default', name)!;
const conditions = (j: JobObj) =>
  (j.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`);
const indexOf = (p: PodObj) => p.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
/** Pods neither finished nor being deleted. */
const running = (h: RegistryHarness, name: string) =>
  podsOfJob(h, name).filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded',
  );
const runningAt = (h: RegistryHarness, name: string, ix: string) =>
  running(h, name).find((p) => indexOf(p) === ix)!;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Plays the kubelet for a failed pod: phase Failed, the init container done, `main` terminated
 * with `exitCode`, plus `conditions` (DisruptionTarget and the like).
 */
function failPod(h: RegistryHarness, pod: PodObj, exitCode: number, extra: PodCondition[] = []): void {
  const cur = h.registry.get<PodObj>('pods', 'default', pod.metadata.name!)!;
  const now = iso(h.clock.now().getTime());
  const terminated = (code: number) => ({
    terminated: { exitCode: code, reason: code ? 'Error' : 'Completed', startedAt: now, finishedAt: now },
  });
  h.registry.updateStatus('pods', {
    ...cur,
    status: {
      phase: 'Failed',
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }, ...extra],
      initContainerStatuses: [
        { name: 'setup', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: terminated(0) },
      ],
      containerStatuses: [
        {
          name: 'main',
          image: 'busybox',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: terminated(exitCode),
        },
      ],
    },
  });
}

const DOCS_POLICY: Spec['podFailurePolicy'] = {
  rules: [
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
  ],
};

describe('JobController: podFailurePolicy, backoffLimitPerIndex, successPolicy', () => {
  let h: JobControllerHarness;
  beforeEach(() => {
    h = startJobController();
  });
  afterEach(() => h.close());

  test('FailJob on exit code 42: FailureTarget then Failed with reason PodFailurePolicy, other pods deleted', async () => {
    h.registry.create('jobs', job('pfj', { parallelism: 2, completions: 2, podFailurePolicy: DOCS_POLICY }));
    await h.settle();
    const [a, b] = running(h, 'pfj');
    failPod(h, a!, 42);
    await h.settle();
    const message = `Container main for pod default/${a!.metadata.name} failed with exit code 42 matching FailJob rule at index 1`;
    assert.deepEqual(conditions(getJob(h, 'pfj')), [`FailureTarget=True PodFailurePolicy: ${message}`]);
    const other = h.registry.get<PodObj>('pods', 'default', b!.metadata.name!)!;
    assert.ok(other.metadata.deletionTimestamp, 'the other active pod is deleted');
    assert.deepEqual(other.metadata.finalizers, [JOB_TRACKING_FINALIZER], 'kept until it has failed');
    // The kubelet stops it: Failed, then counted and released; only now is the Job Failed.
    failPod(h, other, 137);
    await h.settle();
    const j = getJob(h, 'pfj');
    assert.deepEqual(conditions(j), [
      `FailureTarget=True PodFailurePolicy: ${message}`,
      `Failed=True PodFailurePolicy: ${message}`,
    ]);
    assert.equal(j.status?.failed, 2);
    assert.ok(h.events.lines().includes(`Warning PodFailurePolicy ${message}`));
  });

  test('Ignore on DisruptionTarget: the failure is not counted and the pod is replaced', async () => {
    h.registry.create('jobs', job('pig', { backoffLimit: 0, podFailurePolicy: DOCS_POLICY }));
    await h.settle();
    const [first] = running(h, 'pig');
    failPod(h, first!, 137, [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' }]);
    await h.settle();
    h.clock.advance(10);
    await h.resyncAll();
    const j = getJob(h, 'pig');
    assert.equal(j.status?.failed, undefined, 'an ignored failure is not counted');
    assert.deepEqual(conditions(j), []);
    assert.equal(
      h.registry.get<PodObj>('pods', 'default', first!.metadata.name!)?.metadata.finalizers,
      undefined,
    );
    assert.equal(running(h, 'pig').length, 1, 'replaced');
    // A failure no rule matches is counted: backoffLimit 0 fails the Job.
    failPod(h, running(h, 'pig')[0]!, 1);
    await h.settle();
    assert.deepEqual(conditions(getJob(h, 'pig')), [
      'FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit',
      'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit',
    ]);
    assert.equal(getJob(h, 'pig').status?.failed, 1);
  });

  test('onExitCodes matches init containers too, and NotIn', async () => {
    h.registry.create(
      'jobs',
      job('pinit', {
        podFailurePolicy: {
          rules: [
            { action: 'FailJob', onExitCodes: { containerName: 'setup', operator: 'NotIn', values: [1, 2] } },
          ],
        },
      }),
    );
    await h.settle();
    const [pod] = running(h, 'pinit');
    const cur = h.registry.get<PodObj>('pods', 'default', pod!.metadata.name!)!;
    const now = iso(h.clock.now().getTime());
    h.registry.updateStatus('pods', {
      ...cur,
      status: {
        phase: 'Failed',
        initContainerStatuses: [
          {
            name: 'setup',
            image: 'busybox',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 3, startedAt: now, finishedAt: now } },
          },
        ],
      },
    });
    await h.settle();
    assert.ok(
      conditions(getJob(h, 'pinit')).includes(
        `Failed=True PodFailurePolicy: Container setup for pod default/${pod!.metadata.name} failed with exit code 3 matching FailJob rule at index 0`,
      ),
    );
  });

  test('backoffLimitPerIndex 1: a failing index is retried once, then in failedIndexes; the Job fails with FailedIndexes', async () => {
    h.registry.create(
      'jobs',
      job('bpi', { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 1 }),
    );
    await h.settle();
    assert.deepEqual(
      running(h, 'bpi').map((p) => p.metadata.annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION]),
      ['0', '0', '0'],
    );
    assert.equal(getJob(h, 'bpi').status?.failedIndexes, '');
    const first = runningAt(h, 'bpi', '1');
    failPod(h, first, 1);
    await h.settle();
    // Delayed deletion: the failed pod keeps its finalizer until its replacement exists.
    let old = h.registry.get<PodObj>('pods', 'default', first.metadata.name!)!;
    assert.deepEqual(old.metadata.finalizers, [JOB_TRACKING_FINALIZER]);
    assert.equal(runningAt(h, 'bpi', '1'), undefined, 'no replacement before the 10 s backoff');
    h.clock.advance(10);
    await h.resyncAll();
    const second = runningAt(h, 'bpi', '1');
    assert.equal(second.metadata.annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION], '1');
    old = h.registry.get<PodObj>('pods', 'default', first.metadata.name!)!;
    assert.equal(old.metadata.finalizers, undefined, 'released once the replacement exists');
    assert.equal(getJob(h, 'bpi').status?.failed, 1);
    failPod(h, second, 1);
    await h.settle();
    h.clock.advance(60);
    await h.resyncAll();
    let j = getJob(h, 'bpi');
    assert.equal(j.status?.failedIndexes, '1');
    assert.equal(j.status?.failed, 2);
    assert.equal(runningAt(h, 'bpi', '1'), undefined, 'a failed index is not retried');
    assert.deepEqual(conditions(j), []);
    setPodPhase(h, runningAt(h, 'bpi', '0'), 'Succeeded');
    setPodPhase(h, runningAt(h, 'bpi', '2'), 'Succeeded');
    await h.settle();
    j = getJob(h, 'bpi');
    assert.equal(j.status?.completedIndexes, '0,2');
    assert.equal(j.status?.succeeded, 2);
    assert.deepEqual(conditions(j), [
      'FailureTarget=True FailedIndexes: Job has failed indexes',
      'Failed=True FailedIndexes: Job has failed indexes',
    ]);
  });

  test('FailIndex and maxFailedIndexes: one failed index past the maximum fails the Job', async () => {
    h.registry.create(
      'jobs',
      job('mfi', {
        completionMode: 'Indexed',
        completions: 3,
        parallelism: 3,
        backoffLimitPerIndex: 5,
        maxFailedIndexes: 0,
        podFailurePolicy: {
          rules: [
            { action: 'FailIndex', onExitCodes: { operator: 'In', values: [42] } },
            { action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } },
          ],
        },
      }),
    );
    await h.settle();
    // An ignored failure: retried, counted in the ignored annotation, not in failed.
    failPod(h, runningAt(h, 'mfi', '2'), 7);
    await h.settle();
    h.clock.advance(10);
    await h.resyncAll();
    const again = runningAt(h, 'mfi', '2');
    assert.equal(again.metadata.annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION], '0');
    assert.equal(again.metadata.annotations?.[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION], '1');
    assert.equal(getJob(h, 'mfi').status?.failed, undefined);
    failPod(h, runningAt(h, 'mfi', '0'), 42);
    await h.settle();
    let j = getJob(h, 'mfi');
    assert.equal(j.status?.failedIndexes, '0');
    assert.deepEqual(conditions(j), [
      'FailureTarget=True MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes',
    ]);
    for (const p of podsOfJob(h, 'mfi').filter((p) => p.metadata.deletionTimestamp)) failPod(h, p, 137);
    await h.settle();
    j = getJob(h, 'mfi');
    assert.ok(
      conditions(j).includes(
        'Failed=True MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes',
      ),
    );
  });

  test('successPolicy: index 0 succeeding meets the criteria; the other pods are stopped, uncounted', async () => {
    h.registry.create(
      'jobs',
      job('sp', {
        completionMode: 'Indexed',
        completions: 3,
        parallelism: 3,
        successPolicy: { rules: [{ succeededIndexes: '0' }] },
      }),
    );
    await h.settle();
    setPodPhase(h, runningAt(h, 'sp', '0'), 'Succeeded');
    await h.settle();
    // The other pods are deleted with their finalizer released; unscheduled, they go at once, so
    // nothing is left terminating and Complete follows in the same sync.
    assert.deepEqual(podsOfJob(h, 'sp').map(indexOf), ['0'], 'indexes 1 and 2 stopped');
    const j = getJob(h, 'sp');
    assert.deepEqual(conditions(j), [
      'SuccessCriteriaMet=True SuccessPolicy: Matched rules at index 0',
      'Complete=True SuccessPolicy: Matched rules at index 0',
    ]);
    assert.equal(j.status?.succeeded, 1);
    assert.equal(j.status?.failed, undefined);
    assert.equal(j.status?.completedIndexes, '0');
    assert.ok(j.status?.completionTime);
  });
});
