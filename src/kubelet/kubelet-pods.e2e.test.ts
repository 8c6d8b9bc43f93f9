/**
 * The kubelet end to end (root): the seed's pod shapes run by a real `podbay server --run-pods`
 * and the stock kubectl (testing/pod-server.ts): shared emptyDir, init containers, a native
 * sidecar, probes, CrashLoopBackOff, OOMKilled, graceful termination order, and re-adoption
 * after kill -9. Every pod is deleted by its test and must leave nothing behind.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../test/e2e/harness.js';
import { PodServer, SERVER_ARGS } from './testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;
let hostDir: string;
const getPod = (name: string) => ps.getPod(name);
const statusColumn = (name: string) => ps.statusColumn(name);
const apply = (manifest: string) => ps.apply(manifest);
const deleteAndVerifyGone = (name: string) => ps.deleteAndVerifyGone(name);

describe("kubelet: the seed's pod shapes (kubectl, root)", { timeout: 150_000 }, () => {
  before(async () => {
    hostDir = mkdtempSync('/tmp/podbay-kubelet-e2e-host-');
    await ps.start();
  });

  after(async () => {
    rmSync(hostDir, { recursive: true, force: true });
    await ps.close();
  });

  test('sidecar shape: two containers share an emptyDir; a write from the readOnly mount fails', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: shared}
spec:
  terminationGracePeriodSeconds: 2
  volumes: [{name: data, emptyDir: {}}]
  containers:
  - name: writer
    image: busybox
    command: [sh, -c, 'while true; do echo tick >> /data/log; sleep 0.2; done']
    volumeMounts: [{name: data, mountPath: /data}]
  - name: reader
    image: busybox
    command: [sh, -c, 'if echo x > /data/x; then echo WRITE-OK; else echo WRITE-FAILED; fi; sleep 3600']
    volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
`);
    await waitFor(async () => (await statusColumn('shared')) === 'Running', 'shared Running');
    const ready = (await server.k(['get', 'pod', 'shared', '--no-headers'])).trim().split(/\s+/)[1];
    assert.equal(ready, '2/2');
    await waitFor(
      async () => (await server.k(['logs', 'shared', '-c', 'reader'])).includes('WRITE-'),
      'reader log',
    );
    assert.match(await server.k(['logs', 'shared', '-c', 'reader']), /^WRITE-FAILED$/m);
    const read = await server.kubectl(['exec', 'shared', '-c', 'reader', '--', 'cat', '/data/log']);
    assert.equal(read.code, 0, read.stderr);
    assert.match(read.stdout, /tick/);
    const write = await server.kubectl(['exec', 'shared', '-c', 'reader', '--', 'touch', '/data/y']);
    assert.notEqual(write.code, 0);
    assert.match(write.stderr + write.stdout, /Read-only file system/);
    const events = await server.k(['get', 'events', '--field-selector', 'involvedObject.name=shared']);
    for (const text of [
      'Container image "busybox" already present on machine',
      'Created container: writer',
      'Started container reader',
    ]) {
      assert.ok(events.includes(text), `event "${text}" missing:\n${events}`);
    }
    await deleteAndVerifyGone('shared');
  });

  test('init shape: Init:0/2 → Init:1/2 → PodInitializing → Running, in timestamp order', async () => {
    const watch = server.kubectl(
      ['get', 'pods', '--field-selector', 'metadata.name=initp', '-w', '--request-timeout=14s'],
      undefined,
      15_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: initp}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - {name: init-a, image: busybox, command: [sh, -c, 'sleep 1.5']}
  - {name: init-b, image: busybox, command: [sh, -c, 'sleep 1.5']}
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'sleep 3600'], readinessProbe: {exec: {command: ['true']}, initialDelaySeconds: 1, periodSeconds: 1}}
`);
    await waitFor(
      async () => (await getPod('initp')).status?.containerStatuses?.[0]?.ready === true,
      'initp ready',
      20_000,
    );
    const pod = await getPod('initp');
    const [a, b] = pod.status?.initContainerStatuses ?? [];
    const app = pod.status?.containerStatuses?.[0];
    const t = (s: string | undefined) => Date.parse(s ?? '');
    assert.ok(
      t(a?.state?.terminated?.finishedAt) <= t(b?.state?.terminated?.startedAt),
      'init-a before init-b',
    );
    assert.ok(t(b?.state?.terminated?.finishedAt) <= t(app?.state?.running?.startedAt), 'init-b before app');
    await server.k(['delete', 'pod', 'initp', '--wait=true', '--timeout=60s']);
    const out = (await watch).stdout;
    const seen = out
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/)[2])
      .filter((s): s is string => s !== undefined);
    const order = ['Init:0/2', 'Init:1/2', 'PodInitializing', 'Running'];
    const positions = order.map((s) => seen.indexOf(s));
    assert.ok(
      positions.every((p) => p >= 0),
      `watch showed ${seen.join(' ')}`,
    );
    assert.deepEqual(
      [...positions].sort((x, y) => x - y),
      positions,
      `watch order ${seen.join(' ')}`,
    );
  });

  test('native sidecar starts first, counts in READY and keeps running', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: native}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - {name: proxy, image: busybox, restartPolicy: Always, command: [sh, -c, 'sleep 3600']}
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'sleep 3600']}
`);
    await waitFor(
      async () => (await server.k(['get', 'pod', 'native', '--no-headers'])).includes('2/2'),
      'native 2/2',
    );
    const pod = await getPod('native');
    const sidecar = pod.status?.initContainerStatuses?.[0];
    assert.ok(sidecar?.state?.running, 'sidecar running');
    assert.equal(sidecar?.started, true);
    assert.ok(
      Date.parse(sidecar?.state?.running?.startedAt ?? '') <=
        Date.parse(pod.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? ''),
    );
    assert.equal(await statusColumn('native'), 'Running');
    await deleteAndVerifyGone('native');
  });

  test('readiness (exec) drives Ready; a failing liveness (http) restarts the container', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: busybox
    command: [sh, -c, 'mkdir -p /www; echo ok > /www/healthz; (sleep 4; rm /www/healthz) & exec busybox httpd -f -p 8080 -h /www']
    readinessProbe: {exec: {command: [sh, -c, 'test -f /www/healthz']}, periodSeconds: 1}
    livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1, failureThreshold: 2}
`);
    await waitFor(
      async () =>
        (await getPod('probed')).status?.conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ) === true,
      'probed Ready',
    );
    // healthz disappears after 4 s: readiness turns False, then liveness restarts the container.
    await waitFor(
      async () => ((await getPod('probed')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
      'liveness restart',
      25_000,
    );
    const events = await server.k(['get', 'events', '--field-selector', 'involvedObject.name=probed']);
    assert.match(events, /Unhealthy .*Liveness probe failed: HTTP probe failed with statuscode: 404/);
    assert.match(events, /Unhealthy .*Readiness probe failed/);
    assert.match(events, /Container web failed liveness probe, will be restarted/);
    await deleteAndVerifyGone('probed');
  });

  test('CrashLoopBackOff on the (shortened) doubling schedule', async () => {
    const started = Date.now();
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'echo boom; exit 3']}
`);
    // Restarts: at once, then after 1 s, 2 s, 4 s (base 1 s): the 4th start comes >= 7 s in.
    await waitFor(
      async () => ((await getPod('crasher')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3,
      'three restarts',
      30_000,
    );
    const elapsed = (Date.now() - started) / 1000;
    assert.ok(elapsed >= 3, `three restarts took ${elapsed} s: back-off not applied`);
    await waitFor(async () => (await statusColumn('crasher')) === 'CrashLoopBackOff', 'CrashLoopBackOff');
    const status = (await getPod('crasher')).status?.containerStatuses?.[0];
    assert.match(
      status?.state?.waiting?.message ?? '',
      /^back-off \d+s restarting failed container=app pod=crasher_default\(/,
    );
    assert.equal(status?.lastState?.terminated?.exitCode, 3);
    assert.equal(status?.lastState?.terminated?.reason, 'Error');
    const previous = await server.k(['logs', 'crasher', '--previous']);
    assert.match(previous, /boom/);
    const events = await server.k(['get', 'events', '--field-selector', 'involvedObject.name=crasher']);
    assert.match(events, /BackOff .*Back-off restarting failed container app in pod crasher_default/);
    await deleteAndVerifyGone('crasher');
  });

  test('a container over its memory limit is OOMKilled (exit 137)', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'tail /dev/zero']
    resources: {limits: {memory: 32Mi}}
`);
    await waitFor(async () => (await statusColumn('hog')) === 'OOMKilled', 'OOMKilled', 30_000);
    const pod = await getPod('hog');
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
    await deleteAndVerifyGone('hog');
  });

  test('graceful termination: preStop, then the app, then the native sidecar', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: graceful}
spec:
  terminationGracePeriodSeconds: 10
  volumes: [{name: out, hostPath: {path: ${hostDir}, type: Directory}}]
  initContainers:
  - name: sidecar
    image: busybox
    restartPolicy: Always
    command: [sh, -c, 'trap "cut -d\\" \\" -f1 /proc/uptime > /out/sidecar-term; exit 0" TERM; while true; do sleep 0.1; done']
    volumeMounts: [{name: out, mountPath: /out}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'trap "cut -d\\" \\" -f1 /proc/uptime > /out/app-term; sleep 1; exit 0" TERM; while true; do sleep 0.1; done']
    lifecycle: {preStop: {exec: {command: [sh, -c, 'cut -d" " -f1 /proc/uptime > /out/app-prestop; sleep 1']}}}
    volumeMounts: [{name: out, mountPath: /out}]
`);
    await waitFor(
      async () => (await server.k(['get', 'pod', 'graceful', '--no-headers'])).includes('2/2'),
      'graceful 2/2',
    );
    await deleteAndVerifyGone('graceful');
    const at = (f: string) => Number(readFileSync(join(hostDir, f), 'utf8'));
    assert.ok(at('app-prestop') < at('app-term'), 'preStop before the stop signal');
    assert.ok(at('app-term') + 0.9 <= at('sidecar-term'), 'sidecar stopped after the app exited');
  });

  test('kill -9 of the server: pods keep running and are re-adopted with restart counts unchanged', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: survivor}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: data, emptyDir: {}}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'if [ ! -f /data/once ]; then touch /data/once; exit 1; fi; echo up; sleep 3600']
    volumeMounts: [{name: data, mountPath: /data}]
`);
    await waitFor(
      async () => {
        const s = (await getPod('survivor')).status?.containerStatuses?.[0];
        return s?.restartCount === 1 && s.state?.running !== undefined;
      },
      'survivor running after one restart',
      20_000,
    );
    const before = (await getPod('survivor')).status?.containerStatuses?.[0];
    assert.equal(await server.stop('SIGKILL'), 'SIGKILL');
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    assert.match(ps, /sleep 3600/, 'containers outlive the server');
    await server.start('127.0.0.1:0', SERVER_ARGS);
    // Give the new kubelet a few relists to (wrongly) restart anything.
    await new Promise((r) => setTimeout(r, 3000));
    const afterStatus = (await getPod('survivor')).status?.containerStatuses?.[0];
    assert.equal(afterStatus?.restartCount, 1);
    assert.equal(afterStatus?.containerID, before?.containerID);
    assert.equal(afterStatus?.state?.running?.startedAt, before?.state?.running?.startedAt);
    assert.match(await server.k(['logs', 'survivor']), /up/);
    await deleteAndVerifyGone('survivor');
  });
});
