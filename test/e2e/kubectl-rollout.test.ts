/**
 * Deployments end to end with the stock kubectl: rollout status, set image, history, undo,
 * restart, scale, wait, and `get -w`. Until the pod runtime lands, the test plays the kubelet's
 * part by writing pod status through pods/status (exactly what a kubelet sends), so the
 * controllers see pods become Running and Ready.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { KUBECTL, TestServer, waitFor } from './harness.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api}
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: app
        image: nginx:1.25
`;

describe('kubectl rollout / scale / wait / get -w', () => {
  const srv = new TestServer();
  let kubelet: NodeJS.Timeout | undefined;
  before(async () => {
    await srv.start();
    kubelet = setInterval(() => void markPodsReady(srv).catch(() => {}), 150);
  });
  after(async () => {
    clearInterval(kubelet);
    await srv.destroy();
  });

  test('rollout status finishes once the pods are ready', async () => {
    await srv.k(['apply', '-f', '-'], DEPLOYMENT);
    const out = await srv.k(['rollout', 'status', 'deployment/api', '--timeout=30s']);
    assert.match(out, /deployment "api" successfully rolled out/);
    const d = JSON.parse(await srv.k(['get', 'deploy', 'api', '-o', 'json']));
    assert.equal(d.status.availableReplicas, 3);
    assert.equal(d.status.observedGeneration, d.metadata.generation);
    assert.ok(
      d.status.conditions.some(
        (c: { type: string; status: string }) => c.type === 'Available' && c.status === 'True',
      ),
    );
    assert.match(await srv.k(['get', 'deploy', 'api']), /api\s+3\/3\s+3\s+3\s/);
    await srv.k(['wait', '--for=condition=Available', 'deployment/api', '--timeout=10s']);
  });

  test('set image rolls out a new ReplicaSet; history and undo', async () => {
    await srv.k(['set', 'image', 'deployment/api', 'app=nginx:1.27']);
    await srv.k(['rollout', 'status', 'deployment/api', '--timeout=30s']);
    const rs = JSON.parse(await srv.k(['get', 'rs', '-l', 'app=api', '-o', 'json'])).items;
    assert.equal(rs.length, 2);
    const byRev = Object.fromEntries(
      rs.map((r: { metadata: { annotations: Record<string, string> }; spec: { replicas: number } }) => [
        r.metadata.annotations['deployment.kubernetes.io/revision'],
        r.spec.replicas,
      ]),
    );
    assert.deepEqual(byRev, { '1': 0, '2': 3 });
    const history = await srv.k(['rollout', 'history', 'deployment/api']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const rev2 = await srv.k(['rollout', 'history', 'deployment/api', '--revision=2']);
    assert.match(rev2, /Image:\s+nginx:1\.27/);

    await srv.k(['rollout', 'undo', 'deployment/api']);
    await srv.k(['rollout', 'status', 'deployment/api', '--timeout=30s']);
    assert.equal(
      await srv.k(['get', 'deploy', 'api', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']),
      'nginx:1.25',
    );
    const after = JSON.parse(await srv.k(['get', 'rs', '-l', 'app=api', '-o', 'json'])).items;
    assert.equal(after.length, 2, 'undo reuses the old ReplicaSet');
    assert.equal(
      await srv.k([
        'get',
        'deploy',
        'api',
        '-o',
        "jsonpath={.metadata.annotations['deployment\\.kubernetes\\.io/revision']}",
      ]),
      '3',
    );
  });

  test('rollout restart makes new pods; scale changes the count', async () => {
    await srv.k(['rollout', 'restart', 'deployment/api']);
    await srv.k(['rollout', 'status', 'deployment/api', '--timeout=30s']);
    const restartedAt = await srv.k([
      'get',
      'deploy',
      'api',
      '-o',
      "jsonpath={.spec.template.metadata.annotations['kubectl\\.kubernetes\\.io/restartedAt']}",
    ]);
    assert.match(restartedAt, /^\d{4}-\d\d-\d\dT/);
    await srv.k(['scale', 'deployment/api', '--replicas=5']);
    await srv.k(['rollout', 'status', 'deployment/api', '--timeout=30s']);
    await waitFor(
      async () =>
        (await srv.k(['get', 'pods', '-l', 'app=api', '-o', 'name'])).trim().split('\n').length === 5,
      '5 pods',
    );
    await srv.k(['scale', 'deployment/api', '--replicas=1']);
    await waitFor(
      async () =>
        (await srv.k(['get', 'pods', '-l', 'app=api', '-o', 'name'])).trim().split('\n').length === 1,
      '1 pod',
    );
  });

  test('get -w streams changes without replaying the initial rows', async () => {
    const p = spawn(KUBECTL, ['get', 'pods', '-l', 'app=watched', '-w'], {
      env: { ...process.env, KUBECONFIG: srv.kubeconfig, KUBECACHEDIR: srv.cacheDir, HOME: srv.cacheDir },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await new Promise((r) => setTimeout(r, 700));
      await srv.k(['run', 'w1', '--image=busybox:1.36', '--labels=app=watched', '--', 'sleep', '1']);
      await waitFor(async () => /w1\s+1\/1\s+Running/.test(out), 'w1 Running in the watch output', 10_000);
      await srv.k(['delete', 'pod', 'w1', '--wait=false']);
      await new Promise((r) => setTimeout(r, 500));
      const rows = out.split('\n').filter((l) => l.startsWith('w1 '));
      assert.ok(rows.length >= 2, out);
      assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
      assert.equal(out.match(/^NAME\s/gm)?.length, 1, 'one header');
    } finally {
      p.kill('SIGTERM');
    }
  });
});

/** Plays the kubelet: every Pending pod becomes Running with Ready=True, as pods/status writes. */
async function markPodsReady(srv: TestServer): Promise<void> {
  const list = JSON.parse(
    (await srv.request('GET', '/api/v1/pods?fieldSelector=status.phase%3DPending')).body,
  );
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const pod of list.items ?? []) {
    if (pod.metadata.deletionTimestamp) continue;
    const status = {
      phase: 'Running',
      podIP: '10.244.0.10',
      startTime: now,
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: now,
      })),
      containerStatuses: pod.spec.containers.map((c: { name: string; image: string }) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
    };
    await srv.request(
      'PATCH',
      `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`,
      JSON.stringify({ status }),
      { 'Content-Type': 'application/merge-patch+json' },
    );
  }
}
