/**
 * HorizontalPodAutoscaler end to end (root): the stock kubectl against a real `podbay server`
 * running pods, with a 2 s HPA sync period. A Deployment whose container burns CPU (a busybox
 * shell loop; request 20m) is autoscaled with `kubectl autoscale --cpu-percent=50 --min=1
 * --max=3` (kubectl 1.32 creates it through autoscaling/v1); it scales up to 3, `kubectl get hpa`
 * shows a real percentage, `kubectl describe hpa` shows metrics, conditions and events; when the
 * load stops (a file each pod's loop checks) it scales back to 1 after the 5 s downscale window
 * set in the HPA's behavior. Everything is deleted and the server's shutdown check proves nothing
 * was left on the machine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../../test/e2e/harness.js';
import { PodServer } from '../../kubelet/testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: burn}
spec:
  replicas: 1
  selector: {matchLabels: {app: burn}}
  template:
    metadata: {labels: {app: burn}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: burn
        image: 'busybox:1.36'
        command: [sh, -c, 'while [ ! -f /tmp/stop ]; do :; done; exec sleep 3600']
        resources: {requests: {cpu: 20m}}
`;

async function replicas(): Promise<number> {
  return Number(await server.k(['get', 'deploy', 'burn', '-o', 'jsonpath={.spec.replicas}']));
}

async function runningPods(): Promise<string[]> {
  const out = await server.k([
    'get',
    'pods',
    '-l',
    'app=burn',
    '--field-selector=status.phase=Running',
    '-o',
    'name',
  ]);
  return out.split('\n').filter((l) => l !== '');
}

describe('HorizontalPodAutoscaler (kubectl autoscale, root)', { timeout: 300_000 }, () => {
  before(async () => {
    await ps.start(['--horizontal-pod-autoscaler-sync-period', '2s']);
  });

  after(async () => {
    await ps.close();
  });

  test('scales a CPU-bound Deployment up, reports it, and back down when the load stops', async () => {
    await server.k(['apply', '-f', '-'], DEPLOYMENT);
    await waitFor(async () => (await runningPods()).length === 1, 'the first pod Running', 60_000);

    const created = await server.kubectl([
      'autoscale',
      'deployment',
      'burn',
      '--cpu-percent=50',
      '--min=1',
      '--max=3',
      '-v=6',
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /horizontalpodautoscaler.autoscaling\/burn autoscaled/);
    // kubectl 1.32 posts autoscaling/v1 (protobuf); the object is the same in v2.
    assert.match(
      created.stderr,
      /POST https:\/\/[^ ]+\/apis\/autoscaling\/v1\/namespaces\/default\/horizontalpodautoscalers/,
    );
    await server.k([
      'patch',
      'hpa',
      'burn',
      '--type=merge',
      '-p',
      '{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":5}}}}',
    ]);
    const hpa = JSON.parse(await server.k(['get', 'hpa', 'burn', '-o', 'json']));
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec.metrics, [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ]);
    assert.equal(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds, 5);
    assert.equal(hpa.spec.behavior.scaleUp.policies.length, 2, 'the scale-up rules were defaulted');

    await waitFor(async () => (await replicas()) === 3, 'scale-up to 3 replicas', 90_000);
    const row = (await server.k(['get', 'hpa', 'burn', '--no-headers'])).trim().split(/\s{2,}/);
    assert.equal(row[0], 'burn');
    assert.equal(row[1], 'Deployment/burn');
    assert.match(row[2]!, /^cpu: \d+%\/50%$/, `TARGETS: ${row[2]}`);
    assert.equal(row[3], '1');
    assert.equal(row[4], '3');
    const v1 = JSON.parse(
      await server.k([
        'get',
        '--raw',
        '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/burn',
      ]),
    );
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
    assert.ok(v1.status.currentCPUUtilizationPercentage > 50, JSON.stringify(v1.status));

    const describe = await server.k(['describe', 'hpa', 'burn']);
    assert.match(describe, /Reference:\s+Deployment\/burn/);
    assert.match(describe, /resource cpu on pods\s+\(as a percentage of request\):\s+\d+% \(\d+m?\) \/ 50%/);
    assert.match(describe, /AbleToScale\s+True\s+SucceededRescale/);
    assert.match(describe, /ScalingActive\s+True\s+ValidMetricFound/);
    assert.match(
      describe,
      /SuccessfulRescale\s+.*New size: 3; reason: cpu resource utilization \(percentage of request\) above target/,
    );

    // Stop the load in every pod (all three run the loop).
    await waitFor(async () => (await runningPods()).length === 3, 'three pods Running', 60_000);
    for (const p of await runningPods()) await server.k(['exec', p, '--', 'touch', '/tmp/stop']);
    await waitFor(async () => (await replicas()) === 1, 'scale-down to 1 replica', 90_000);
    const events = await server.k([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=burn,involvedObject.kind=HorizontalPodAutoscaler',
    ]);
    assert.match(
      events,
      /SuccessfulRescale\s+horizontalpodautoscaler\/burn\s+New size: 1; reason: All metrics below target/,
    );

    await server.k(['delete', 'hpa', 'burn']);
    await server.k(['delete', 'deploy', 'burn']);
    await waitFor(
      async () => (await server.k(['get', 'pods', '-l', 'app=burn', '-o', 'name'])).trim() === '',
      'pods gone',
      60_000,
    );
  });
});
