/**
 * apps/v1 StatefulSets end to end (root): the stock kubectl against a real `podbay server` running
 * pods (kubelet testing/pod-server.ts). Three replicas behind a headless Service come up in order
 * (web-1 only once web-0 is Ready, then web-2), `kubectl rollout status` returns, each pod resolves
 * as `web-N.nginx` through the cluster DNS from another pod, `kubectl scale` removes web-2 first,
 * `kubectl explain` knows the kinds (volumeClaimTemplates: src/controllers/volume/volumes.e2e.test.ts),
 * and deleting the namespace takes everything with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../../test/e2e/harness.js';
import { PodServer } from '../../kubelet/testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;
const NS = 'stateful';
const k = (args: string[], input?: string) => server.k(['-n', NS, ...args], input);

const MANIFEST = `apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: web, port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: busybox, command: [sh, -c, 'sleep 3600']}]
`;

interface PodJson {
  metadata: { name: string; creationTimestamp: string; deletionTimestamp?: string };
  spec: { hostname?: string; subdomain?: string };
  status: { phase: string; conditions?: { type: string; status: string; lastTransitionTime: string }[] };
}

async function webPods(): Promise<PodJson[]> {
  return JSON.parse(await k(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
}

const readyAt = (p: PodJson) =>
  Date.parse(
    p.status.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? '',
  );

describe('apps/v1 StatefulSets (kubectl, root)', { timeout: 240_000 }, () => {
  before(async () => {
    await ps.start();
    await server.k(['create', 'namespace', NS]);
  });

  after(async () => {
    await ps.close();
  });

  test('3 replicas come up in order; rollout status; get sts', async () => {
    await k(['apply', '-f', '-'], MANIFEST);
    const r = await server.kubectl(
      ['-n', NS, 'rollout', 'status', 'sts/web', '--timeout=120s'],
      undefined,
      130_000,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /partitioned roll out complete: 3 new pods have been updated/);
    const pods = new Map((await webPods()).map((p) => [p.metadata.name, p]));
    assert.deepEqual([...pods.keys()].sort(), ['web-0', 'web-1', 'web-2']);
    for (const [prev, next] of [
      ['web-0', 'web-1'],
      ['web-1', 'web-2'],
    ] as const) {
      // Timestamps have second precision: created no earlier than the second its predecessor was Ready.
      assert.ok(
        Date.parse(pods.get(next)!.metadata.creationTimestamp) >= readyAt(pods.get(prev)!),
        `${next} created after ${prev} was Ready`,
      );
    }
    assert.deepEqual(
      [pods.get('web-1')!.spec.hostname, pods.get('web-1')!.spec.subdomain],
      ['web-1', 'nginx'],
    );
    assert.deepEqual((await k(['get', 'sts', 'web', '--no-headers'])).trim().split(/\s+/).slice(0, 2), [
      'web',
      '3/3',
    ]);
    const events = await k(['describe', 'sts', 'web']);
    assert.match(
      events,
      /SuccessfulCreate\s+\S+\s+statefulset-controller\s+create Pod web-0 in StatefulSet web successful/,
    );
    assert.match(await k(['get', 'all']), /statefulset\.apps\/web/);
  });

  test('each pod resolves as web-N.nginx through the cluster DNS from another pod', async () => {
    await k(['run', 'client', '--image=busybox', '--restart=Never', '--', 'sleep', '3600']);
    await waitFor(
      async () => JSON.parse(await k(['get', 'pod', 'client', '-o', 'json'])).status.phase === 'Running',
      'client Running',
      60_000,
    );
    const ips = new Map(
      (
        JSON.parse(await k(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as {
          metadata: { name: string };
          status: { podIP: string };
        }[]
      ).map((p) => [p.metadata.name, p.status.podIP]),
    );
    for (const name of ['web-0', 'web-1', 'web-2']) {
      const ip = ips.get(name)!.replace(/\./g, '\\.');
      // busybox nslookup, the full name (it exits 1 when any search domain is NXDOMAIN: the
      // answer lines count); glibc's getent, the short name through the pod's search domains.
      const full = `${name}.nginx.${NS}.svc.cluster.local`;
      const out = await k(['exec', 'client', '--', 'sh', '-c', `busybox nslookup ${full} || true`]);
      assert.match(out, new RegExp(`Address: ${ip}\\b`), out);
      const short = await k(['exec', 'client', '--', 'getent', 'hosts', `${name}.nginx`]);
      assert.match(short, new RegExp(`^${ip}\\s+${full.replace(/\./g, '\\.')}`), short);
    }
  });

  test('scale down removes web-2 first; the scale subresource', async () => {
    await k(['scale', 'sts', 'web', '--replicas=2']);
    await waitFor(
      async () => (await webPods()).filter((p) => !p.metadata.deletionTimestamp).length === 2,
      'two pods left',
      60_000,
    );
    const left = (await webPods()).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    assert.deepEqual(left.sort(), ['web-0', 'web-1']);
    const scale = JSON.parse(
      await server.k(['get', '--raw', `/apis/apps/v1/namespaces/${NS}/statefulsets/web/scale`]),
    );
    assert.equal(scale.spec.replicas, 2);
    assert.equal(scale.status.selector, 'app=web');
  });

  test('explain knows DaemonSet, StatefulSet and ControllerRevision', async () => {
    assert.match(
      await server.k(['explain', 'sts.spec.podManagementPolicy']),
      /FIELD: podManagementPolicy <string>/,
    );
    assert.match(
      await server.k(['explain', 'ds.spec.updateStrategy']),
      /rollingUpdate\s+<RollingUpdateDaemonSet>/,
    );
    assert.match(await server.k(['explain', 'controllerrevisions']), /KIND:\s+ControllerRevision/);
  });

  test('deleting the namespace removes the StatefulSet, its pods and revisions', async () => {
    await server.k(['delete', 'namespace', NS, '--wait=false']);
    await waitFor(
      async () => (await server.kubectl(['get', 'namespace', NS])).code !== 0,
      'namespace gone',
      90_000,
    );
  });
});
