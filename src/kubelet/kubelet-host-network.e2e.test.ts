/**
 * The kubelet end to end (root), host namespaces and process hygiene: a hostNetwork pod serves
 * on the host's loopback with the node's IP and hostname and no bridge port; kubelet events name
 * their container in involvedObject.fieldPath; and the server leaves no <defunct> child behind.
 * Driven by a real `podbay server --run-pods` and the stock kubectl.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { freePort } from '@podbay/test-support';
import { waitFor } from '../../test/e2e/harness.js';
import { vethName } from '../network/pod-interface.js';
import { PodServer } from './testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;

async function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.on('connect', () => {
      sock.destroy();
      resolve(false);
    });
    sock.on('error', () => resolve(true));
  });
}

interface EventJson {
  reason: string;
  message: string;
  involvedObject: { name: string; fieldPath?: string };
}

describe('kubelet: hostNetwork pods, event fieldPaths, no zombies (kubectl, root)', {
  timeout: 120_000,
}, () => {
  before(async () => ps.start());
  after(async () => ps.close());

  test('a hostNetwork pod serves on the host loopback with the node IP and hostname, and leaves nothing', async () => {
    const port = await freePort();
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: hostnet}
spec:
  hostNetwork: true
  terminationGracePeriodSeconds: 1
  volumes: [{name: www, emptyDir: {}}]
  initContainers:
  - name: prepare
    image: busybox
    command: [sh, -c, 'echo hostnet-ok > /www/index.html']
    volumeMounts: [{name: www, mountPath: /www}]
  containers:
  - name: web
    image: busybox
    command: [busybox, httpd, -f, -p, '127.0.0.1:${port}', -h, /www]
    env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
    volumeMounts: [{name: www, mountPath: /www}]
    readinessProbe: {httpGet: {host: 127.0.0.1, port: ${port}, path: /}, periodSeconds: 1}
`);
    await waitFor(
      async () => (await ps.getPod('hostnet')).status?.containerStatuses?.[0]?.ready === true,
      'hostnet ready',
      30_000,
    );
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal((await res.text()).trim(), 'hostnet-ok');

    const pod = await ps.getPod('hostnet');
    assert.ok(pod.status?.hostIP, 'hostIP set');
    assert.equal(pod.status?.podIP, pod.status?.hostIP);
    assert.deepEqual(pod.status?.podIPs, [{ ip: pod.status?.hostIP }]);
    const sandbox = ps.sandboxRecordOf(pod.metadata?.uid ?? '');
    assert.ok(sandbox, 'sandbox record');
    assert.equal(sandbox.ip, '', 'no bridge IP for a hostNetwork sandbox');
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
    assert.ok(!links.includes(vethName(sandbox.id)), 'no veth for a hostNetwork sandbox');

    const inPod = async (...cmd: string[]) =>
      (await server.k(['exec', 'hostnet', '-c', 'web', '--', ...cmd])).trim();
    assert.equal(await inPod('hostname'), hostname());
    assert.equal(await inPod('printenv', 'POD_IP'), pod.status?.hostIP, 'the downward API sees the node IP');
    assert.equal(await inPod('readlink', '/proc/self/ns/net'), readlinkSync('/proc/self/ns/net'));
    assert.equal(await inPod('readlink', '/proc/self/ns/uts'), readlinkSync('/proc/self/ns/uts'));
    assert.notEqual(await inPod('readlink', '/proc/self/ns/ipc'), readlinkSync('/proc/self/ns/ipc'));
    assert.match(
      await inPod('head', '-n', '1', '/etc/hosts'),
      /^# Kubernetes-managed hosts file \(host network\)\.$/,
    );

    await ps.deleteAndVerifyGone('hostnet');
    assert.ok(await refused(port), 'the host port is closed once the pod is gone');
  });

  test("kubelet events carry the container's fieldPath; pod-level events carry none", async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: refs}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - {name: setup, image: busybox, command: ['true']}
  containers:
  - {name: main, image: busybox, command: [sleep, '3600']}
  - {name: missing, image: no-such-registry.example/nothing:1}
`);
    await waitFor(
      async () => (await ps.getPod('refs')).status?.containerStatuses?.some((c) => c.state?.running) === true,
      'refs main running',
      30_000,
    );
    const events = async () =>
      (
        JSON.parse(
          await server.k(['get', 'events', '--field-selector', 'involvedObject.name=refs', '-o', 'json']),
        ) as { items: EventJson[] }
      ).items;
    await waitFor(async () => (await events()).some((e) => e.reason === 'Failed'), 'ErrImagePull event');
    const pathOf = (reason: string, text: string) =>
      events().then(
        (all) => all.find((e) => e.reason === reason && e.message.includes(text))?.involvedObject,
      );
    assert.equal((await pathOf('Started', 'setup'))?.fieldPath, 'spec.initContainers{setup}');
    assert.equal((await pathOf('Created', 'main'))?.fieldPath, 'spec.containers{main}');
    assert.equal((await pathOf('Failed', 'no-such-registry'))?.fieldPath, 'spec.containers{missing}');
    const scheduled = await pathOf('Scheduled', '');
    assert.ok(scheduled, 'Scheduled event');
    assert.equal(scheduled.fieldPath, undefined);
    // `kubectl get events -o wide` shows it in the SUBOBJECT column:
    const wide = await server.k([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=refs',
      '-o',
      'wide',
    ]);
    assert.match(wide, /spec\.containers\{main\}/);
    await ps.deleteAndVerifyGone('refs');
  });

  test('the server reaps what it starts: no <defunct> child, and container monitors are not its children', async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: shortlived}
spec:
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 1
  containers:
  - {name: flaky, image: busybox, command: [sh, -c, 'sleep 0.5; exit 3']}
  - {name: steady, image: busybox, command: [sleep, '3600']}
`);
    await waitFor(
      async () =>
        ((await ps.getPod('shortlived')).status?.containerStatuses ?? []).some(
          (c) => (c.restartCount ?? 0) >= 2,
        ),
      'flaky restarted twice',
      30_000,
    );
    // Monitors are double-forked away from the server (they outlive a kill -9 of it), so their
    // exits are reaped by the init process, never left to the server.
    const serverPid = server.proc?.pid ?? -1;
    const shims = PodServer.processes().filter((p) => p.comm === 'podbay-shim' && p.state !== 'Z');
    assert.ok(shims.length >= 2, 'a monitor per running container, plus the holder');
    assert.ok(
      shims.every((p) => p.ppid !== serverPid),
      'no monitor is a child of the server',
    );
    await ps.deleteAndVerifyGone('shortlived');
    assert.deepEqual(ps.zombieChildren(), []);
  });
});
