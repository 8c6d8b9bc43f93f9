/**
 * PersistentVolumes end to end (root): the stock kubectl against a real `podbay server` running pods.
 *  - the built-in `standard` class is the default, shaped as kind's;
 *  - the CKAD flow: a claim without a class waits for its first consumer, a pod writing to it gets a
 *    provisioned volume (a directory under the data dir), the next pod reads the file, `kubectl get
 *    pv,pvc` shows both Bound, and deleting the claim removes the volume and its directory;
 *  - a static hostPath volume is bound by a claim with storageClassName "" and Released (kept) after;
 *  - a pod naming a missing claim stays Pending with the scheduler's message;
 *  - a StatefulSet's volumeClaimTemplates give each ordinal its claim, kept across pod deletion.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../../test/e2e/harness.js';
import { PodServer } from '../../kubelet/testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;
const NS = 'volumes';
const k = (args: string[], input?: string) => server.k(['-n', NS, ...args], input);
const volumesDir = () => join(server.dataDir, 'volumes');
const hostDir = mkdtempSync(join(tmpdir(), 'podbay-pv-host-'));

async function phaseOf(kind: string, name: string): Promise<string> {
  const r = await server.kubectl(['-n', NS, 'get', kind, name, '-o', 'jsonpath={.status.phase}']);
  return r.code === 0 ? r.stdout : '';
}

async function podRunning(name: string): Promise<boolean> {
  return (await phaseOf('pod', name)) === 'Running';
}

const pod = (name: string, claim: string, command: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: busybox
    command: [sh, -c, '${command}']
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: ${claim}}}]
`;

describe('PersistentVolumes, claims and StorageClasses (kubectl, root)', { timeout: 300_000 }, () => {
  before(async () => {
    await ps.start();
    await server.k(['create', 'namespace', NS]);
  });

  after(async () => {
    try {
      await ps.close();
      assert.deepEqual(existsSync(volumesDir()) ? readdirSync(volumesDir()) : [], [], 'no volume left');
    } finally {
      rmSync(hostDir, { recursive: true, force: true });
    }
  });

  test('the default class `standard`, as kind has it', async () => {
    const out = await server.k(['get', 'sc']);
    assert.match(
      out,
      /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\n/,
    );
    assert.match(
      out,
      /\nstandard \(default\)\s+podbay\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+/,
    );
  });

  test('CKAD flow: provision on first consumer, data outlives the pod, claim deletion removes it', async () => {
    await k(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`,
    );
    const pending = await k(['get', 'pvc', 'data']);
    assert.match(
      pending,
      /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\n/,
    );
    assert.match(pending, /\ndata\s+Pending\s+standard\s+<unset>\s+/);
    await waitFor(
      async () =>
        (await k(['get', 'events', '--field-selector', 'involvedObject.name=data'])).includes(
          'WaitForFirstConsumer',
        ),
      'WaitForFirstConsumer event',
    );
    await k(['apply', '-f', '-'], pod('writer', 'data', 'echo hello > /data/f && sleep 3600'));
    await waitFor(() => podRunning('writer'), 'writer running', 60_000);
    const both = await k(['get', 'pv,pvc']);
    const pvName = JSON.parse(await k(['get', 'pvc', 'data', '-o', 'json'])).spec.volumeName as string;
    assert.match(pvName, /^pvc-[0-9a-f-]{36}$/);
    assert.match(
      both,
      new RegExp(
        `persistentvolume/${pvName}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+${NS}/data\\s+standard\\s+<unset>\\s+`,
      ),
    );
    assert.match(
      both,
      new RegExp(`persistentvolumeclaim/data\\s+Bound\\s+${pvName}\\s+1Gi\\s+RWO\\s+standard\\s+`),
    );
    await waitFor(async () => existsSync(join(volumesDir(), pvName, 'f')), 'file written');
    assert.equal(readFileSync(join(volumesDir(), pvName, 'f'), 'utf8'), 'hello\n');

    await k(['delete', 'pod', 'writer', '--wait=true']);
    await k(['apply', '-f', '-'], pod('reader', 'data', 'cat /data/f; sleep 3600'));
    await waitFor(() => podRunning('reader'), 'reader running', 60_000);
    await waitFor(async () => (await k(['logs', 'reader'])) === 'hello\n', 'reader saw the file');

    // In use: the claim waits for the pod (pvc-protection), then goes with its volume.
    await k(['delete', 'pvc', 'data', '--wait=false']);
    assert.match(await k(['get', 'pvc', 'data']), /\ndata\s+Terminating\s+/);
    await k(['delete', 'pod', 'reader', '--wait=true']);
    await waitFor(
      async () => (await server.kubectl(['get', 'pv', pvName])).code !== 0,
      'volume deleted',
      30_000,
    );
    assert.equal(existsSync(join(volumesDir(), pvName)), false, 'directory removed');
    assert.equal((await k(['get', 'pvc', '-o', 'name'])).trim(), '');
  });

  test('fsGroup, subPath and a read-only claim volume', async () => {
    await k(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: shared}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: owner}
spec:
  terminationGracePeriodSeconds: 0
  securityContext: {runAsUser: 1000, fsGroup: 2000}
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'sleep 3600']
    volumeMounts:
    - {name: data, mountPath: /data}
    - {name: data, mountPath: /logs, subPath: logs}
  volumes: [{name: data, persistentVolumeClaim: {claimName: shared}}]
---
apiVersion: v1
kind: Pod
metadata: {name: ro}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'sleep 3600']
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: shared, readOnly: true}}]
`,
    );
    await waitFor(
      async () => (await podRunning('owner')) && (await podRunning('ro')),
      'pods running',
      60_000,
    );
    assert.equal(await k(['exec', 'owner', '--', 'stat', '-c', '%g', '/data']), '2000\n');
    await k(['exec', 'owner', '--', 'sh', '-c', 'echo log > /logs/a']);
    assert.equal(await k(['exec', 'ro', '--', 'cat', '/data/logs/a']), 'log\n');
    const write = await server.kubectl(['-n', NS, 'exec', 'ro', '--', 'sh', '-c', 'echo no > /data/b']);
    assert.notEqual(write.code, 0, 'a readOnly claim volume is mounted read-only');
    assert.match(write.stderr, /Read-only file system/);
    await k(['delete', 'pod', 'owner', 'ro', '--wait=true']);
    await k(['delete', 'pvc', 'shared']);
    await waitFor(
      async () => (await server.k(['get', 'pv', '-o', 'name'])).trim() === '',
      'volume deleted',
      30_000,
    );
  });

  test('a static hostPath volume bound by a claim with storageClassName ""', async () => {
    await server.k(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: PersistentVolume
metadata: {name: static-pv}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  hostPath: {path: ${hostDir}}
`,
    );
    await waitFor(async () => (await phaseOf('pv', 'static-pv')) === 'Available', 'pv Available');
    await k(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: manual}
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`,
    );
    await waitFor(async () => (await phaseOf('pvc', 'manual')) === 'Bound', 'claim Bound');
    assert.match(
      await server.k(['get', 'pv', 'static-pv']),
      new RegExp(`\\nstatic-pv\\s+2Gi\\s+RWO,ROX\\s+Retain\\s+Bound\\s+${NS}/manual\\s+<unset>\\s+`),
    );
    await k(['apply', '-f', '-'], pod('static', 'manual', 'echo static > /data/s; sleep 3600'));
    await waitFor(async () => existsSync(join(hostDir, 's')), 'written to the host path', 60_000);
    await k(['delete', 'pod', 'static', '--wait=true']);
    await k(['delete', 'pvc', 'manual']);
    await waitFor(async () => (await phaseOf('pv', 'static-pv')) === 'Released', 'pv Released (Retain)');
    assert.equal(readFileSync(join(hostDir, 's'), 'utf8'), 'static\n');
    await server.k(['delete', 'pv', 'static-pv']);
  });

  test("a pod naming a missing claim stays Pending with the scheduler's reason", async () => {
    await k(['apply', '-f', '-'], pod('orphan', 'nope', 'sleep 3600'));
    await waitFor(
      async () =>
        (await k(['get', 'events', '--field-selector', 'involvedObject.name=orphan'])).includes(
          'FailedScheduling',
        ),
      'FailedScheduling',
    );
    const events = await k(['get', 'events', '--field-selector', 'involvedObject.name=orphan']);
    assert.match(events, /0\/1 nodes are available: persistentvolumeclaim "nope" not found\./);
    await k(['delete', 'pod', 'orphan']);
  });

  test('StatefulSet volumeClaimTemplates: one claim per ordinal, kept across pod deletion', async () => {
    await k(
      ['apply', '-f', '-'],
      `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: c
        image: busybox
        command: [sh, -c, 'test -f /data/id || (hostname; cat /proc/sys/kernel/random/uuid) > /data/id; sleep 3600']
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Mi}}}
`,
    );
    const r = await server.kubectl(
      ['-n', NS, 'rollout', 'status', 'sts/web', '--timeout=120s'],
      undefined,
      130_000,
    );
    assert.equal(r.code, 0, r.stderr);
    const claims = await k(['get', 'pvc', '--no-headers']);
    assert.match(claims, /^data-web-0\s+Bound\s+pvc-/m);
    assert.match(claims, /^data-web-1\s+Bound\s+pvc-/m);
    const before0 = await k(['exec', 'web-0', '--', 'cat', '/data/id']);
    assert.match(before0, /^web-0\n[0-9a-f-]{36}\n$/);
    await k(['delete', 'pod', 'web-0', '--wait=true']);
    await waitFor(
      async () => (await podRunning('web-0')) && (await phaseOf('pvc', 'data-web-0')) === 'Bound',
      'web-0 back',
      90_000,
    );
    const after0 = await k(['exec', 'web-0', '--', 'cat', '/data/id']);
    assert.equal(after0, before0, 'the recreated pod sees the same data');
    await k(['delete', 'sts', 'web', '--wait=true']);
    await waitFor(async () => (await k(['get', 'pods', '-o', 'name'])).trim() === '', 'pods gone', 60_000);
    // Retain (the default policy): the claims outlive the set.
    assert.match(await k(['get', 'pvc', '-o', 'name']), /persistentvolumeclaim\/data-web-0/);
    await k(['delete', 'pvc', '--all']);
    await waitFor(
      async () => (await server.k(['get', 'pv', '-o', 'name'])).trim() === '',
      'provisioned volumes deleted',
      60_000,
    );
  });

  test('deleting the namespace', async () => {
    await server.k(['delete', 'namespace', NS, '--wait=false']);
    await waitFor(
      async () => (await server.kubectl(['get', 'namespace', NS])).code !== 0,
      'namespace gone',
      90_000,
    );
  });
});
