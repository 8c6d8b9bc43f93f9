import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_TRACKING_FINALIZER } from '../../api/registry/jobs/labels.js';
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

function indexedJob(name: string, completions: number, parallelism: number, backoffLimit = 6): JobObj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      completionMode: 'Indexed',
      completions,
      parallelism,
      backoffLimit,
      template: {
        spec: {
          restartPolicy: 'Never',
          subdomain: 'workers',
          initContainers: [{ name: 'init', image: 'busybox' }],
          containers: [{ name: 'c', image: 'busybox', env: [{ name: 'USER_VAR', value: 'x' }] }],
        },
      },
    },
  };
}

const getJob = (h: RegistryHarness, name: string) => h.registry.get<JobObj>('jobs', 'default', name)!;
const indexOf = (p: PodObj) => p.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
/** Pods not being deleted and not finished, by index. */
const running = (h: RegistryHarness, name: string) =>
  podsOfJob(h, name).filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
const runningIndexes = (h: RegistryHarness, name: string) => running(h, name).map(indexOf).sort();
const podAt = (h: RegistryHarness, name: string, ix: string) =>
  running(h, name).find((p) => indexOf(p) === ix)!;
const conditionTypes = (j: JobObj) => (j.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`);

/** A pod the Job controller did not create: a copy of `of` with its own name and index annotation. */
function strayPod(of: PodObj, name: string, index: string | undefined): PodObj {
  const annotations = { ...(of.metadata.annotations ?? {}) };
  // The controller reads the annotation; the label is left out, "-1" being no valid label value.
  const labels = { ...(of.metadata.labels ?? {}) };
  delete labels[JOB_COMPLETION_INDEX_ANNOTATION];
  if (index === undefined) delete annotations[JOB_COMPLETION_INDEX_ANNOTATION];
  else annotations[JOB_COMPLETION_INDEX_ANNOTATION] = index;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels,
      annotations,
      ownerReferences: of.metadata.ownerReferences,
      finalizers: [JOB_TRACKING_FINALIZER],
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' },
  };
}

describe('JobController, Indexed completion mode (real registry)', () => {
  let h: JobControllerHarness;
  beforeEach(() => {
    h = startJobController();
  });
  afterEach(() => h.close());

  test('each pod gets its index: annotation, label, name, hostname, subdomain, env', async () => {
    h.registry.create('jobs', indexedJob('idx', 3, 2));
    await h.settle();
    const pods = running(h, 'idx');
    assert.deepEqual(pods.map(indexOf).sort(), ['0', '1'], 'lowest indexes first, up to parallelism');
    for (const p of pods) {
      const ix = indexOf(p)!;
      assert.equal(p.metadata.labels?.[JOB_COMPLETION_INDEX_ANNOTATION], ix);
      assert.equal(p.metadata.generateName, `idx-${ix}-`);
      assert.match(p.metadata.name!, new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
      assert.equal(p.spec?.hostname, `idx-${ix}`);
      assert.equal(p.spec?.subdomain, 'workers');
      assert.deepEqual(p.metadata.finalizers, [JOB_TRACKING_FINALIZER]);
      const envRef = {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: {
          fieldRef: {
            apiVersion: 'v1',
            fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']",
          },
        },
      };
      assert.deepEqual(p.spec?.containers[0]?.env, [{ name: 'USER_VAR', value: 'x' }, envRef]);
      assert.deepEqual(p.spec?.initContainers?.[0]?.env, [envRef]);
    }
    const j = getJob(h, 'idx');
    assert.equal(j.status?.active, 2);
    assert.equal(j.status?.completedIndexes, undefined);
  });

  test('parallelism < completions: pending indexes follow successes, completedIndexes compressed', async () => {
    h.registry.create('jobs', indexedJob('par', 5, 2));
    await h.settle();
    assert.deepEqual(runningIndexes(h, 'par'), ['0', '1']);
    setPodPhase(h, podAt(h, 'par', '1'), 'Succeeded');
    await h.settle();
    let j = getJob(h, 'par');
    assert.equal(j.status?.completedIndexes, '1');
    assert.equal(j.status?.succeeded, 1);
    assert.deepEqual(j.status?.uncountedTerminatedPods, {}, 'indexed successes are not tracked by uid');
    assert.deepEqual(runningIndexes(h, 'par'), ['0', '2']);
    setPodPhase(h, podAt(h, 'par', '2'), 'Succeeded');
    await h.settle();
    assert.deepEqual(runningIndexes(h, 'par'), ['0', '3']);
    setPodPhase(h, podAt(h, 'par', '3'), 'Succeeded');
    await h.settle();
    j = getJob(h, 'par');
    assert.equal(j.status?.completedIndexes, '1-3');
    assert.equal(j.status?.succeeded, 3);
    assert.deepEqual(runningIndexes(h, 'par'), ['0', '4']);
    setPodPhase(h, podAt(h, 'par', '0'), 'Succeeded');
    await h.settle();
    j = getJob(h, 'par');
    assert.equal(j.status?.completedIndexes, '0-3');
    assert.deepEqual(conditionTypes(j), [], 'not complete while index 4 runs');
    setPodPhase(h, podAt(h, 'par', '4'), 'Succeeded');
    await h.settle();
    j = getJob(h, 'par');
    assert.equal(j.status?.completedIndexes, '0-4');
    assert.equal(j.status?.succeeded, 5);
    assert.deepEqual(conditionTypes(j), ['SuccessCriteriaMet=True', 'Complete=True']);
    assert.equal(podsOfJob(h, 'par').length, 5, 'one pod per index');
    assert.ok(podsOfJob(h, 'par').every((p) => p.metadata.finalizers === undefined));
  });

  test('a failed index is retried after the backoff and counts against backoffLimit', async () => {
    h.registry.create('jobs', indexedJob('retry', 3, 3, 1));
    await h.settle();
    assert.deepEqual(runningIndexes(h, 'retry'), ['0', '1', '2']);
    setPodPhase(h, podAt(h, 'retry', '0'), 'Succeeded');
    setPodPhase(h, podAt(h, 'retry', '1'), 'Failed');
    await h.settle();
    let j = getJob(h, 'retry');
    assert.equal(j.status?.failed, 1);
    assert.equal(j.status?.completedIndexes, '0');
    assert.deepEqual(runningIndexes(h, 'retry'), ['2'], 'no replacement before the 10 s backoff');
    h.clock.advance(10);
    await h.resyncAll();
    assert.deepEqual(runningIndexes(h, 'retry'), ['1', '2'], 'index 1 again, not a new index');
    setPodPhase(h, podAt(h, 'retry', '1'), 'Succeeded');
    setPodPhase(h, podAt(h, 'retry', '2'), 'Succeeded');
    await h.settle();
    j = getJob(h, 'retry');
    assert.equal(j.status?.completedIndexes, '0-2');
    assert.equal(j.status?.succeeded, 3);
    assert.equal(j.status?.failed, 1);
    assert.deepEqual(conditionTypes(j), ['SuccessCriteriaMet=True', 'Complete=True']);

    // The same Job failing twice (backoffLimit 1) fails as NonIndexed does.
    h.registry.create('jobs', indexedJob('twice', 2, 1, 1));
    await h.settle();
    setPodPhase(h, podAt(h, 'twice', '0'), 'Failed');
    await h.settle();
    h.clock.advance(10);
    await h.resyncAll();
    setPodPhase(h, podAt(h, 'twice', '0'), 'Failed');
    await h.settle();
    j = getJob(h, 'twice');
    assert.equal(j.status?.failed, 2);
    assert.deepEqual(conditionTypes(j), ['FailureTarget=True', 'Failed=True']);
  });

  test('a second success of a completed index does not count twice', async () => {
    h.registry.create('jobs', indexedJob('dup', 2, 2));
    await h.settle();
    const zero = podAt(h, 'dup', '0');
    const twin = h.registry.create<PodObj>('pods', strayPod(zero, 'dup-0-twin', '0'));
    setPodPhase(h, zero, 'Succeeded');
    setPodPhase(h, twin, 'Succeeded');
    await h.settle();
    let j = getJob(h, 'dup');
    assert.equal(j.status?.succeeded, 1, 'index 0 counted once');
    assert.equal(j.status?.completedIndexes, '0');
    assert.deepEqual(conditionTypes(j), []);
    assert.equal(h.registry.get<PodObj>('pods', 'default', 'dup-0-twin')?.metadata.finalizers, undefined);
    // A later success of index 0 (after it was recorded) is not counted either.
    const late = h.registry.create<PodObj>('pods', strayPod(zero, 'dup-0-late', '0'));
    setPodPhase(h, late, 'Succeeded');
    await h.settle();
    j = getJob(h, 'dup');
    assert.equal(j.status?.succeeded, 1);
    assert.equal(j.status?.completedIndexes, '0');
    setPodPhase(h, podAt(h, 'dup', '1'), 'Succeeded');
    await h.settle();
    j = getJob(h, 'dup');
    assert.equal(j.status?.succeeded, 2);
    assert.equal(j.status?.completedIndexes, '0,1');
    assert.deepEqual(conditionTypes(j), ['SuccessCriteriaMet=True', 'Complete=True']);
  });

  test('pods with a missing, invalid, out-of-range or repeated index are deleted, not counted', async () => {
    h.registry.create('jobs', indexedJob('odd', 2, 2));
    await h.settle();
    const zero = podAt(h, 'odd', '0');
    // The repeat is newer, so it is the one of the two index-0 pods ranked for deletion.
    h.clock.advance(1);
    for (const [name, ix] of [
      ['odd-none', undefined],
      ['odd-bad', 'one'],
      ['odd-high', '2'],
      ['odd-neg', '-1'],
      ['odd-0-dup', '0'],
    ] as const)
      h.registry.create<PodObj>('pods', strayPod(zero, name, ix));
    await h.settle();
    await h.resyncAll();
    const liveNames = podsOfJob(h, 'odd')
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name!);
    for (const n of ['odd-none', 'odd-bad', 'odd-high', 'odd-neg', 'odd-0-dup'])
      assert.ok(!liveNames.includes(n), `${n} deleted`);
    assert.deepEqual(runningIndexes(h, 'odd'), ['0', '1']);
    assert.ok(liveNames.includes(zero.metadata.name!), 'the original pod of index 0 stays');
    const j = getJob(h, 'odd');
    assert.equal(j.status?.failed, undefined, 'pods deleted as surplus are released first, never counted');
    assert.ok(
      h.events.lines().includes('Normal SuccessfulDelete Deleted pod: odd-high'),
      h.events.lines().join('\n'),
    );
  });
});
