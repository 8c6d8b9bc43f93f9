/**
 * The kubelet end to end (root): what a container is started with and why it cannot start, seen
 * through the stock kubectl (testing/pod-server.ts): configMap volumes (FailedMount, updates
 * re-projected), unresolvable images, failing init containers, securityContext, termination
 * messages. Every pod is deleted by its test and must leave nothing behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../test/e2e/harness.js';
import { PodServer } from './testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;
const getPod = (name: string) => ps.getPod(name);
const statusColumn = (name: string) => ps.statusColumn(name);
const apply = (manifest: string) => ps.apply(manifest);
const deleteAndVerifyGone = (name: string) => ps.deleteAndVerifyGone(name);

describe('kubelet: container configuration and start failures (kubectl, root)', { timeout: 120_000 }, () => {
  before(() => ps.start());
  after(() => ps.close());

  test('configMap volume: FailedMount until it exists, then mounted and updates re-projected', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: configured}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: cfg, configMap: {name: settings}}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'sleep 3600']
    volumeMounts: [{name: cfg, mountPath: /etc/settings}]
`);
    await waitFor(
      async () =>
        (await server.k(['get', 'events', '--field-selector', 'involvedObject.name=configured'])).includes(
          'FailedMount',
        ),
      'FailedMount event',
    );
    const events = await server.k(['get', 'events', '--field-selector', 'involvedObject.name=configured']);
    assert.match(events, /MountVolume\.SetUp failed for volume "cfg" : configmap "settings" not found/);
    assert.equal(await statusColumn('configured'), 'ContainerCreating');
    await server.k(['create', 'configmap', 'settings', '--from-literal=mode=one']);
    await waitFor(async () => (await statusColumn('configured')) === 'Running', 'configured Running');
    const read = async () =>
      (await server.kubectl(['exec', 'configured', '--', 'cat', '/etc/settings/mode'])).stdout;
    assert.equal(await read(), 'one');
    await server
      .k(['create', 'configmap', 'settings', '--from-literal=mode=two', '--dry-run=client', '-o', 'yaml'])
      .then((yaml) => server.k(['apply', '-f', '-'], yaml));
    await waitFor(async () => (await read()) === 'two', 'the update projected', 10_000);
    await deleteAndVerifyGone('configured');
    await server.k(['delete', 'configmap', 'settings']);
  });

  test('an image the catalog cannot resolve: ErrImagePull, then ImagePullBackOff', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: unknown-image}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: app, image: example.com/no-such-image:1.0}
`);
    await waitFor(
      async () => (await statusColumn('unknown-image')) === 'ImagePullBackOff',
      'ImagePullBackOff',
    );
    const events = await server.k(['get', 'events', '--field-selector', 'involvedObject.name=unknown-image']);
    assert.match(events, /Failed to pull image "example\.com\/no-such-image:1\.0": /);
    assert.match(events, /Error: ErrImagePull/);
    assert.match(events, /Back-off pulling image "example\.com\/no-such-image:1\.0"/);
    const waiting = (await getPod('unknown-image')).status?.containerStatuses?.[0]?.state?.waiting;
    assert.equal(waiting?.message, 'Back-off pulling image "example.com/no-such-image:1.0"');
    await deleteAndVerifyGone('unknown-image');
  });

  test('a failing init container: Init:Error under restartPolicy Never, the pod fails', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: badinit}
spec:
  restartPolicy: Never
  initContainers:
  - {name: setup, image: busybox, command: [sh, -c, 'exit 7']}
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'sleep 3600']}
`);
    await waitFor(async () => (await getPod('badinit')).status?.phase === 'Failed', 'badinit Failed');
    assert.equal(await statusColumn('badinit'), 'Init:Error');
    const pod = await getPod('badinit');
    assert.equal(pod.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode, 7);
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'PodInitializing');
    await deleteAndVerifyGone('badinit');
  });

  test('a crash-looping init container under restartPolicy Always: Init:CrashLoopBackOff', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: loopinit}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - {name: setup, image: busybox, command: [sh, -c, 'exit 1']}
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'sleep 3600']}
`);
    await waitFor(
      async () => (await statusColumn('loopinit')) === 'Init:CrashLoopBackOff',
      'Init:CrashLoopBackOff',
    );
    const init = (await getPod('loopinit')).status?.initContainerStatuses?.[0];
    assert.ok((init?.restartCount ?? 0) >= 1);
    assert.match(
      init?.state?.waiting?.message ?? '',
      /^back-off \d+s restarting failed container=setup pod=loopinit_default\(/,
    );
    await deleteAndVerifyGone('loopinit');
  });

  test('securityContext from the pod and the container reaches the process', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: secure}
spec:
  restartPolicy: Never
  securityContext: {runAsUser: 1234, runAsGroup: 2345, fsGroup: 3456}
  volumes: [{name: scratch, emptyDir: {}}]
  containers:
  - name: app
    image: busybox
    securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
    command: [sh, -c, 'id -u; id -g; id -G; touch /rootfs-write 2>/dev/null && echo RW || echo RO; touch /scratch/ok && echo VOL-RW; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status']
    volumeMounts: [{name: scratch, mountPath: /scratch}]
`);
    await waitFor(async () => (await getPod('secure')).status?.phase === 'Succeeded', 'secure Succeeded');
    const lines = (await server.k(['logs', 'secure'])).split('\n');
    assert.equal(lines[0], '1234');
    assert.equal(lines[1], '2345');
    assert.ok(lines[2]?.split(' ').includes('3456'), `groups ${lines[2]}`);
    assert.equal(lines[3], 'RO');
    assert.equal(lines[4], 'VOL-RW');
    assert.match(lines[5] ?? '', /^CapEff:\s+0000000000000000$/);
    assert.match(lines[6] ?? '', /^NoNewPrivs:\s+1$/);
    await deleteAndVerifyGone('secure');
  });

  test('termination messages: the file, or the log tail with FallbackToLogsOnError', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: term}
spec:
  restartPolicy: Never
  containers:
  - {name: file, image: busybox, command: [sh, -c, 'printf bye > /dev/termination-log; exit 2']}
  - name: logs
    image: busybox
    terminationMessagePolicy: FallbackToLogsOnError
    command: [sh, -c, 'echo line1; echo last words; exit 4']
`);
    await waitFor(async () => (await getPod('term')).status?.phase === 'Failed', 'term Failed');
    const statuses = (await getPod('term')).status?.containerStatuses ?? [];
    const byName = new Map(statuses.map((s) => [s.name, s.state?.terminated]));
    assert.equal(byName.get('file')?.message, 'bye');
    assert.equal(byName.get('file')?.exitCode, 2);
    assert.equal(byName.get('logs')?.message, 'line1\nlast words\n');
    assert.equal(await statusColumn('term'), 'Error');
    await deleteAndVerifyGone('term');
  });
});
