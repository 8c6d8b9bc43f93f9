/**
 * batch/v1 end to end (root): Jobs and CronJobs driven by the stock kubectl against a real
 * `podbay server --run-pods` (kubelet testing/pod-server.ts), as a CKAD user runs them:
 * `kubectl create job`, `kubectl wait --for=condition=complete|failed`, `kubectl logs job/x`,
 * the `kubectl get jobs|cronjobs` columns, backoffLimit, parallelism, an Indexed Job, a Job
 * with a native sidecar, and `kubectl create job --from=cronjob/x`. Everything is deleted again and the
 * server's shutdown check proves nothing was left on the machine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../../test/e2e/harness.js';
import { PodServer } from '../../kubelet/testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;

/** `kubectl get <kind> <name> --no-headers`, split on whitespace. */
async function row(kind: string, name: string): Promise<string[]> {
  return (await server.k(['get', kind, name, '--no-headers'])).trim().split(/\s+/);
}

async function wait(condition: string, job: string): Promise<void> {
  const r = await server.kubectl(
    ['wait', `--for=condition=${condition}`, `job/${job}`, '--timeout=90s'],
    undefined,
    100_000,
  );
  assert.equal(
    r.code,
    0,
    `${job} ${condition}: ${r.stderr}\n${await server.k(['get', 'job', job, '-o', 'yaml'])}`,
  );
}

async function podsOf(job: string): Promise<string[]> {
  const out = await server.k(['get', 'pods', '-l', `job-name=${job}`, '-o', 'name']);
  return out.split('\n').filter(Boolean);
}

describe('batch/v1 Jobs and CronJobs (kubectl, root)', { timeout: 170_000 }, () => {
  before(async () => {
    await ps.start();
  });

  after(async () => {
    await ps.close();
  });

  test('kubectl create job completes: wait, logs, get jobs columns', async () => {
    await server.k(['create', 'job', 'pi', '--image=busybox', '--', 'sh', '-c', 'echo done']);
    await wait('complete', 'pi');
    assert.equal((await server.k(['logs', 'job/pi'])).trim(), 'done');
    const table = (await server.k(['get', 'jobs'])).split('\n');
    assert.deepEqual(table[0]?.trim().split(/\s+/), ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    const [name, status, completions, duration] = await row('job', 'pi');
    assert.deepEqual([name, status, completions], ['pi', 'Complete', '1/1']);
    assert.match(duration ?? '', /^\d+s$/);
    const job = JSON.parse(await server.k(['get', 'job', 'pi', '-o', 'json']));
    assert.equal(job.spec.backoffLimit, 6);
    assert.equal(job.spec.completionMode, 'NonIndexed');
    assert.equal(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid'], job.metadata.uid);
    assert.equal(job.metadata.labels['batch.kubernetes.io/job-name'], 'pi');
    assert.deepEqual(
      job.status.conditions.map((c: { type: string; reason: string }) => `${c.type}/${c.reason}`),
      ['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached'],
    );
    const [pod] = await podsOf('pi');
    const podJson = JSON.parse(await server.k(['get', pod!, '-o', 'json']));
    assert.equal(podJson.status.phase, 'Succeeded');
    assert.equal(podJson.metadata.finalizers, undefined, 'tracking finalizer removed once counted');
    const describe = await server.k(['describe', 'job', 'pi']);
    assert.match(describe, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
    assert.match(describe, /Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: pi-/);
    assert.match(describe, /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
  });

  test('ttlSecondsAfterFinished: 0 deletes the finished Job and its pod', async () => {
    await ps.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: shortlived}
spec:
  ttlSecondsAfterFinished: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: [sh, -c, 'true']}]
`);
    await waitFor(
      async () => (await server.kubectl(['get', 'job', 'shortlived'])).code !== 0,
      'shortlived Job deleted by its TTL',
      60_000,
    );
    await waitFor(async () => (await podsOf('shortlived')).length === 0, 'shortlived pods gone', 60_000);
  });

  test('a failing Job retries once (backoffLimit 1) and ends Failed with BackoffLimitExceeded', async () => {
    await ps.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: fails}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: busybox, command: [sh, -c, 'echo boom; exit 3']}]
`);
    await wait('failed', 'fails');
    const [, status, completions] = await row('job', 'fails');
    assert.deepEqual([status, completions], ['Failed', '0/1']);
    const job = JSON.parse(await server.k(['get', 'job', 'fails', '-o', 'json']));
    assert.equal(job.status.failed, 2);
    const failed = job.status.conditions.find((c: { type: string }) => c.type === 'Failed');
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(failed.message, 'Job has reached the specified backoff limit');
    assert.equal((await podsOf('fails')).length, 2);
  });

  test('parallelism 3, completions 2 runs two pods and completes 2/2', async () => {
    await ps.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: par}
spec:
  parallelism: 3
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: [sh, -c, 'sleep 1; echo part']}]
`);
    await wait('complete', 'par');
    const [, status, completions] = await row('job', 'par');
    assert.deepEqual([status, completions], ['Complete', '2/2']);
    assert.equal((await podsOf('par')).length, 2);
  });

  test('an Indexed Job: one pod per index with its index in env and hostname, completedIndexes 0-2', async () => {
    await ps.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: idx}
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: [sh, -c, 'echo index=$JOB_COMPLETION_INDEX host=$(hostname)']}]
`);
    await wait('complete', 'idx');
    const pods = await podsOf('idx');
    assert.equal(pods.length, 3, pods.join(' '));
    const seen: string[] = [];
    for (const pod of pods) {
      const p = JSON.parse(await server.k(['get', pod, '-o', 'json']));
      const ix = p.metadata.annotations['batch.kubernetes.io/job-completion-index'];
      assert.equal(p.metadata.labels['batch.kubernetes.io/job-completion-index'], ix);
      assert.match(p.metadata.name, new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
      assert.equal((await server.k(['logs', pod])).trim(), `index=${ix} host=idx-${ix}`);
      seen.push(ix);
    }
    assert.deepEqual(seen.sort(), ['0', '1', '2']);
    assert.equal(await server.k(['get', 'job', 'idx', '-o', 'jsonpath={.status.completedIndexes}']), '0-2');
    const [, status, completions] = await row('job', 'idx');
    assert.deepEqual([status, completions], ['Complete', '3/3']);
    const describe = await server.k(['describe', 'job', 'idx']);
    assert.match(describe, /Completion Mode:\s+Indexed/);
    assert.match(describe, /Completed Indexes:\s+0-2/);
  });

  test('a Job with a native sidecar completes when its main container exits', async () => {
    await ps.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: withsidecar}
spec:
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 2
      initContainers:
      - {name: logger, image: busybox, restartPolicy: Always, command: [sh, -c, 'while true; do sleep 1; done']}
      containers: [{name: main, image: busybox, command: [sh, -c, 'sleep 1; echo main-done']}]
`);
    await wait('complete', 'withsidecar');
    assert.equal((await server.k(['logs', 'job/withsidecar', '-c', 'main'])).trim(), 'main-done');
    const [pod] = await podsOf('withsidecar');
    await waitFor(
      async () => JSON.parse(await server.k(['get', pod!, '-o', 'json'])).status.phase === 'Succeeded',
      'sidecar pod Succeeded',
      30_000,
    );
  });

  test('kubectl create cronjob, get cronjobs columns, create job --from=cronjob runs', async () => {
    await server.k([
      'create',
      'cronjob',
      'hello',
      '--image=busybox',
      '--schedule=*/1 * * * *',
      '--',
      'echo',
      'hi',
    ]);
    const table = (await server.k(['get', 'cronjobs'])).split('\n');
    assert.deepEqual(table[0]?.trim().split(/\s+/), [
      'NAME',
      'SCHEDULE',
      'TIMEZONE',
      'SUSPEND',
      'ACTIVE',
      'LAST',
      'SCHEDULE',
      'AGE',
    ]);
    assert.match(table[1] ?? '', /^hello\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s\s*$/);
    await server.k(['create', 'job', 'manual', '--from=cronjob/hello']);
    await wait('complete', 'manual');
    assert.equal((await server.k(['logs', 'job/manual'])).trim(), 'hi');
    const job = JSON.parse(await server.k(['get', 'job', 'manual', '-o', 'json']));
    assert.equal(job.metadata.ownerReferences[0].kind, 'CronJob');
    assert.equal(job.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    const all = await server.k(['get', 'all']);
    assert.match(all, /^cronjob\.batch\/hello\s/m);
    assert.match(all, /^job\.batch\/manual\s+Complete\s+1\/1/m);
    const bad = await server.kubectl([
      'create',
      'cronjob',
      'bad',
      '--image=busybox',
      '--schedule=61 * * * *',
    ]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec\.schedule: Invalid value: "61 \* \* \* \*"/);
  });

  test('deleting the Jobs and the CronJob removes their pods', async () => {
    await server.k(['delete', 'cronjob', 'hello', '--wait=true', '--timeout=60s']);
    await server.k(['delete', 'jobs', '--all', '--wait=true', '--timeout=60s']);
    await waitFor(
      async () => (await server.k(['get', 'pods', '-o', 'name'])).trim() === '',
      'every pod gone',
      60_000,
    );
    assert.equal((await server.k(['get', 'jobs', '-o', 'name'])).trim(), '');
  });
});
