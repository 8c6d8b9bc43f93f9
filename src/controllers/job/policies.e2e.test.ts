/**
 * Job failure and success policies end to end (root): the Kubernetes docs' examples ("Handling
 * retriable and non-retriable pod failures with Pod failure policy", "Backoff limit per
 * index", "Job success policy"), reduced to busybox and seconds, run by a real
 * `podbay server --run-pods` and read back with the stock kubectl.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PodServer } from '../../kubelet/testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;

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

async function jobJson(name: string): Promise<{
  status: {
    failed?: number;
    succeeded?: number;
    failedIndexes?: string;
    completedIndexes?: string;
    conditions: { type: string; reason: string; message: string }[];
  };
}> {
  return JSON.parse(await server.k(['get', 'job', name, '-o', 'json']));
}

describe('Job podFailurePolicy, backoffLimitPerIndex, successPolicy (kubectl, root)', {
  timeout: 170_000,
}, () => {
  before(async () => {
    await ps.start();
  });

  after(async () => {
    await ps.close();
  });

  test('podFailurePolicy FailJob on exit code 42 fails the Job with reason PodFailurePolicy', async () => {
    await ps.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: job-pi}
spec:
  completions: 8
  parallelism: 2
  backoffLimit: 6
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox
        command: [sh, -c, 'echo "exiting with 42 to simulate a software bug"; sleep 1; exit 42']
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        containerName: main
        operator: In
        values: [42]
    - action: Ignore
      onPodConditions:
      - type: DisruptionTarget
`);
    await wait('failed', 'job-pi');
    const row = (await server.k(['get', 'job', 'job-pi', '--no-headers'])).trim().split(/\s+/);
    assert.deepEqual(row.slice(0, 3), ['job-pi', 'Failed', '0/8']);
    const job = await jobJson('job-pi');
    const message =
      /^Container main for pod default\/job-pi-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/;
    const failed = job.status.conditions.find((c) => c.type === 'Failed')!;
    assert.equal(failed.reason, 'PodFailurePolicy');
    assert.match(failed.message, message);
    const target = job.status.conditions.find((c) => c.type === 'FailureTarget')!;
    assert.deepEqual([target.reason, target.message], [failed.reason, failed.message]);
    assert.ok((job.status.failed ?? 0) >= 1, 'the failing pod is counted');
    const describe = await server.k(['describe', 'job', 'job-pi']);
    assert.match(
      describe,
      /Warning\s+PodFailurePolicy\s+\S+\s+job-controller\s+Container main for pod default\/job-pi-\S+ failed with exit code 42 matching FailJob rule at index 0/,
    );
    // Not retried: the Job failed at the first exit 42, well before backoffLimit 6.
    const pods = (await server.k(['get', 'pods', '-l', 'job-name=job-pi', '-o', 'name']))
      .split('\n')
      .filter(Boolean);
    assert.ok(pods.length <= 2, pods.join(' '));
  });

  test('backoffLimitPerIndex 1: the always-failing index is tried twice and lands in failedIndexes; the others complete', async () => {
    await ps.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: job-bpi}
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  backoffLimitPerIndex: 1
  maxFailedIndexes: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: example
        image: busybox
        command: [sh, -c, 'echo index=$JOB_COMPLETION_INDEX; [ "$JOB_COMPLETION_INDEX" != 1 ]']
`);
    await wait('failed', 'job-bpi');
    const job = await jobJson('job-bpi');
    assert.equal(job.status.failedIndexes, '1');
    assert.equal(job.status.completedIndexes, '0,2');
    assert.equal(job.status.succeeded, 2);
    assert.equal(job.status.failed, 2);
    const failed = job.status.conditions.find((c) => c.type === 'Failed')!;
    assert.deepEqual([failed.reason, failed.message], ['FailedIndexes', 'Job has failed indexes']);
    const index1 = JSON.parse(
      await server.k([
        'get',
        'pods',
        '-l',
        'job-name=job-bpi,batch.kubernetes.io/job-completion-index=1',
        '-o',
        'json',
      ]),
    ) as { items: { metadata: { annotations: Record<string, string> }; status: { phase: string } }[] };
    const counts = index1.items.map(
      (p) => `${p.metadata.annotations['batch.kubernetes.io/job-index-failure-count']} ${p.status.phase}`,
    );
    assert.deepEqual(counts.sort(), ['0 Failed', '1 Failed']);
    const row = (await server.k(['get', 'job', 'job-bpi', '--no-headers'])).trim().split(/\s+/);
    assert.deepEqual(row.slice(0, 3), ['job-bpi', 'Failed', '2/3']);
  });

  test('successPolicy: index 0 succeeding completes the Job and stops the others', async () => {
    await ps.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: job-sp}
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  successPolicy:
    rules:
    - succeededIndexes: "0"
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox
        command: [sh, -c, 'if [ "$JOB_COMPLETION_INDEX" = 0 ]; then echo leader done; else sleep 300; fi']
`);
    await wait('complete', 'job-sp');
    const job = await jobJson('job-sp');
    assert.deepEqual(
      job.status.conditions.map((c) => `${c.type}/${c.reason}/${c.message}`),
      [
        'SuccessCriteriaMet/SuccessPolicy/Matched rules at index 0',
        'Complete/SuccessPolicy/Matched rules at index 0',
      ],
    );
    assert.equal(job.status.completedIndexes, '0');
    assert.equal(job.status.failed ?? 0, 0, 'the stopped workers are not counted as failed');
    const left = await server.k([
      'get',
      'pods',
      '-l',
      'job-name=job-sp',
      '-o',
      "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{'\\n'}{end}",
    ]);
    assert.ok(!/Running|Pending/.test(left), left);
  });

  test('deleting the Jobs removes their pods', async () => {
    await server.k(['delete', 'jobs', '--all', '--wait=true', '--timeout=60s']);
    const deadline = Date.now() + 60_000;
    while ((await server.k(['get', 'pods', '-o', 'name'])).trim() !== '') {
      assert.ok(Date.now() < deadline, 'every pod gone');
      await new Promise((r) => setTimeout(r, 500));
    }
  });
});
