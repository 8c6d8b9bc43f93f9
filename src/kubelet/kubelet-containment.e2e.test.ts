/**
 * The kubelet end to end (root), containment: an emptyDir filled past its sizeLimit gets the
 * pod evicted as upstream reports it (a Memory emptyDir is a tmpfs of sizeLimit instead); a
 * fork bomb stops at the pod's pids.max; a container flooding stdout has its log rotated at
 * 10 MiB x 5. Meanwhile the engine keeps answering kubectl and starting other pods. (OOMKilled is
 * covered by kubelet-pods.e2e.test.ts.) Driven by a real `podbay server --run-pods` and kubectl.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../test/e2e/harness.js';
import { DEFAULT_POD_PIDS_LIMIT } from './kubelet.js';
import { PodServer } from './testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;
const MiB = 1024 * 1024;

/** The pod cgroup's directory in the pids hierarchy (v1) or the unified one (v2). */
function podPidsCgroup(sandboxId: string): string {
  const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
  return v2 ? join('/sys/fs/cgroup/podbay', sandboxId) : join('/sys/fs/cgroup/pids/podbay', sandboxId);
}

/** Milliseconds `kubectl get pods` takes: the engine must keep serving while a pod misbehaves. */
async function kubectlLatencyMs(): Promise<number> {
  const started = Date.now();
  await server.k(['get', 'pods']);
  return Date.now() - started;
}

async function startBystander(name: string): Promise<void> {
  await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: idle, image: busybox, command: [sleep, '3600']}]
`);
  await waitFor(async () => (await ps.statusColumn(name)) === 'Running', `${name} Running`, 30_000);
}

describe('kubelet: containment of misbehaving pods (kubectl, root)', { timeout: 170_000 }, () => {
  before(async () => ps.start());
  after(async () => ps.close());

  test('an emptyDir past its sizeLimit evicts the pod; a Memory emptyDir is a tmpfs of sizeLimit', async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: filler}
spec:
  terminationGracePeriodSeconds: 1
  volumes:
  - {name: scratch, emptyDir: {sizeLimit: 1Mi}}
  - {name: mem, emptyDir: {medium: Memory, sizeLimit: 1Mi}}
  containers:
  - name: app
    image: busybox
    command: [sleep, '3600']
    volumeMounts: [{name: scratch, mountPath: /scratch}, {name: mem, mountPath: /mem}]
`);
    await waitFor(async () => (await ps.statusColumn('filler')) === 'Running', 'filler Running', 30_000);
    const df = await server.k(['exec', 'filler', '--', 'df', '-k', '/mem']);
    assert.match(df, /^tmpfs\s+1024\s/m, df);
    const overMem = await server.kubectl([
      'exec',
      'filler',
      '--',
      'dd',
      'if=/dev/zero',
      'of=/mem/f',
      'bs=1024',
      'count=2048',
    ]);
    assert.notEqual(overMem.code, 0);
    assert.match(overMem.stderr + overMem.stdout, /No space left on device/);
    assert.equal((await ps.getPod('filler')).status?.phase, 'Running', 'a full tmpfs is not an eviction');

    await server.k(['exec', 'filler', '--', 'dd', 'if=/dev/zero', 'of=/scratch/f', 'bs=1024', 'count=2048']);
    // The eviction manager measures every 10 s (upstream's evictionMonitoringPeriod).
    await waitFor(
      async () => (await ps.getPod('filler')).status?.phase === 'Failed',
      'filler evicted',
      40_000,
    );
    const pod = await ps.getPod('filler');
    const message = 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ';
    assert.equal(pod.status?.reason, 'Evicted');
    assert.equal(pod.status?.message, message);
    const disruption = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(disruption?.status, 'True');
    assert.equal(disruption?.reason, 'TerminationByKubelet');
    // Killed with grace 0, as upstream's local-storage eviction does (SIGKILL: 137).
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
    // kubectl's columns. printPod starts from status.reason (Evicted) but the first container's
    // terminated reason overrides it, and since 1.22 the kubelet syncs the killed container's final
    // state (exit 137, reason Error from the CRI) after the Evicted status: a current cluster reads
    // "0/1 Error" once that status lands (kubernetes/kubernetes#105358, #105467). Evicted shows in
    // status.reason, which `kubectl describe` prints.
    const [, ready, statusColumn] = (await server.k(['get', 'pod', 'filler', '--no-headers']))
      .trim()
      .split(/\s+/);
    assert.deepEqual([ready, statusColumn], ['0/1', 'Error']);
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Error');
    const described = await server.k(['describe', 'pod', 'filler']);
    assert.match(described, /^Status:\s+Failed$/m);
    assert.match(described, /^Reason:\s+Evicted$/m);
    assert.match(described, /^Message:\s+Usage of EmptyDir volume "scratch" exceeds the limit "1Mi"\.\s*$/m);
    const events = await ps.events('filler');
    assert.match(
      events,
      /Warning\s+Evicted\s+pod\/filler\s+Usage of EmptyDir volume "scratch" exceeds the limit "1Mi"\./,
    );
    await ps.deleteAndVerifyGone('filler');
  });

  test("a fork bomb stops at the pod's pids.max; the engine keeps serving other pods", async () => {
    // The inner shell forks until fork fails (and then dies); the outer one reports its error
    // with builtins only (no fork is possible any more) and stays.
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: forker}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: bomb
    image: busybox
    command: [sh, -c, 'sh -c "while :; do sleep 900 & done" 2>/tmp/err; read -r e </tmp/err; echo "bomb-contained: $e"; exec sleep 3600']
`);
    await waitFor(
      async () => (await server.kubectl(['logs', 'forker'])).stdout.includes('bomb-contained'),
      'the bomb hit the limit',
      60_000,
    );
    const uid = (await ps.getPod('forker')).metadata?.uid ?? '';
    const sandbox = ps.sandboxRecordOf(uid);
    assert.ok(sandbox, 'sandbox record');
    const dir = podPidsCgroup(sandbox.id);
    assert.equal(readFileSync(join(dir, 'pids.max'), 'utf8').trim(), String(DEFAULT_POD_PIDS_LIMIT));
    const current = Number(readFileSync(join(dir, 'pids.current'), 'utf8').trim());
    assert.ok(
      current <= DEFAULT_POD_PIDS_LIMIT && current > DEFAULT_POD_PIDS_LIMIT - 64,
      `pids.current ${current}`,
    );
    assert.match(
      (await server.k(['logs', 'forker'])).trim(),
      /^bomb-contained: .*([Cc]an(no|')t fork|Resource temporarily unavailable)/,
      'the inner shell died of a refused fork',
    );

    assert.ok((await kubectlLatencyMs()) < 5000, 'kubectl answers while the pod is at its limit');
    await startBystander('bystander-fork');
    assert.equal(await ps.statusColumn('forker'), 'Running');
    await ps.deleteAndVerifyGone('forker');
    await ps.deleteAndVerifyGone('bystander-fork');
  });

  test('a container flooding stdout is rotated at 10 MiB x 5; kubectl keeps answering', async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: flood}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: flooder
    image: busybox
    command: [sh, -c, 'exec yes "$(printf %0200d 0)"']
    resources: {limits: {cpu: 500m}}
`);
    const uid = (await ps.getPod('flood')).metadata?.uid ?? '';
    const logDir = join(server.dataDir, 'logs', 'pods', `default_flood_${uid}`, 'flooder');
    const files = () => (existsSync(logDir) ? readdirSync(logDir) : []);
    let maxFiles = 0;
    let slowest = 0;
    await waitFor(
      async () => {
        maxFiles = Math.max(maxFiles, files().length);
        slowest = Math.max(slowest, await kubectlLatencyMs());
        return files().filter((f) => /^0\.log\.\d{8}-\d{6}/.test(f)).length >= 4;
      },
      'four rotations',
      90_000,
    );
    assert.ok(maxFiles <= 5, `at most 5 log files (saw ${maxFiles})`);
    assert.ok(slowest < 5000, `kubectl get pods took ${slowest} ms during the flood`);
    for (const f of files()) {
      const size = statSync(join(logDir, f), { throwIfNoEntry: false })?.size ?? 0;
      assert.ok(size <= 10 * MiB, `${f} is ${size} bytes`);
    }
    const tail = (await server.k(['logs', 'flood', '--tail=1'])).trim();
    assert.equal(tail, '0'.repeat(200));
    await ps.deleteAndVerifyGone('flood');
  });
});
