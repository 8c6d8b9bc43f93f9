import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodMetricsSource } from '../../api/metrics/source.js';
import type { KubeObject } from '../../api/types.js';
import { createNamespace, type Harness, newHarness } from '../testing/harness.js';
import { HorizontalPodAutoscalerController } from './controller.js';

type HPA = HorizontalPodAutoscaler & KubeObject;
const iso = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** The node's usage, set by the test per pod in millicores. */
class FakeMetrics implements PodMetricsSource {
  readonly cpu = new Map<string, number>();
  constructor(private readonly h: Harness) {}
  async podsUsage(pods: readonly Pod[]) {
    return pods.map((p) => {
      const m = this.cpu.get(p.metadata?.name ?? '');
      return m === undefined
        ? undefined
        : {
            containers: [{ name: 'app', cpuNanoCores: m * 1e6, memoryWorkingSetBytes: 1 << 20 }],
            timestamp: this.h.clock.now(),
            windowSeconds: 15,
          };
    });
  }
}

function deployment(h: Harness, replicas: number): void {
  h.client.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'busybox' }] },
      },
    },
  });
}

/** A running pod that became ready when it started, `startedSecondsAgo` ago. */
function pod(h: Harness, name: string, startedSecondsAgo = 600): void {
  const p = h.client.create<Pod & KubeObject>('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '100m' } } }] },
  });
  const start = iso(new Date(h.clock.now().getTime() - startedSecondsAgo * 1000));
  h.client.updateStatus('pods', {
    ...p,
    status: {
      phase: 'Running',
      startTime: start,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: start }],
    },
  });
}

function hpa(h: Harness, spec: Partial<NonNullable<HorizontalPodAutoscaler['spec']>> = {}): HPA {
  return h.client.create<HPA>('horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
      ...spec,
    },
    status: { desiredReplicas: 0 },
  } as HPA);
}

const stored = (h: Harness): HPA => h.client.get<HPA>('horizontalpodautoscalers', 'default', 'web')!;
const replicas = (h: Harness): number =>
  (h.client.get('deployments', 'default', 'web')!.spec as { replicas: number }).replicas;
const conditions = (h: Harness): string[] =>
  (stored(h).status?.conditions ?? []).map((c) => `${c.type} ${c.status} ${c.reason}: ${c.message}`);

describe('HorizontalPodAutoscalerController', () => {
  let h: Harness;
  let metrics: FakeMetrics;
  let c: HorizontalPodAutoscalerController;
  beforeEach(() => {
    h = newHarness();
    createNamespace(h, 'default');
    metrics = new FakeMetrics(h);
    c = new HorizontalPodAutoscalerController(h.deps, { podMetrics: metrics });
  });

  test('scales a Deployment up on CPU utilization, with status, conditions and the event', async () => {
    deployment(h, 1);
    pod(h, 'web-1');
    metrics.cpu.set('web-1', 200);
    hpa(h);
    await c.syncAll();
    assert.equal(replicas(h), 4, 'ceil(200% / 50% × 1) = 4, within max(2 × 1, 4)');
    assert.deepEqual(h.events.lines('SuccessfulRescale'), [
      'Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target',
    ]);
    const st = stored(h).status!;
    assert.equal(st.currentReplicas, 1);
    assert.equal(st.desiredReplicas, 4);
    assert.equal(st.lastScaleTime, iso(h.clock.now()));
    assert.deepEqual(st.currentMetrics, [
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '200m' } },
      },
    ]);
    assert.deepEqual(conditions(h), [
      'AbleToScale True SucceededRescale: the HPA controller was able to update the target scale to 4',
      'ScalingActive True ValidMetricFound: the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      'ScalingLimited False DesiredWithinRange: the desired count is within the acceptable range',
    ]);
  });

  test('the scale-up rate without behavior: at most double, at least 4; then maxReplicas', async () => {
    deployment(h, 4);
    for (const n of ['a', 'b', 'c', 'd']) {
      pod(h, n);
      metrics.cpu.set(n, 500);
    }
    hpa(h, { maxReplicas: 20 });
    await c.syncAll();
    assert.equal(replicas(h), 8);
    assert.match(
      conditions(h)[2]!,
      /^ScalingLimited True ScaleUpLimit: the desired replica count is increasing faster than the maximum scale rate$/,
    );
    const h2 = stored(h);
    h.client.update('horizontalpodautoscalers', { ...h2, spec: { ...h2.spec!, maxReplicas: 6 } });
    h.clock.advance(15);
    await c.syncAll();
    assert.equal(replicas(h), 6);
    assert.deepEqual(
      h.events.lines('SuccessfulRescale').at(-1),
      'Normal SuccessfulRescale New size: 6; reason: Current number of replicas above Spec.MaxReplicas',
    );
    assert.equal(stored(h).status?.desiredReplicas, 6);
  });

  test('maxReplicas below the scale-up limit: TooManyReplicas', async () => {
    deployment(h, 2);
    for (const n of ['a', 'b']) {
      pod(h, n);
      metrics.cpu.set(n, 500);
    }
    hpa(h, { maxReplicas: 3 });
    await c.syncAll();
    assert.equal(replicas(h), 3);
    assert.equal(
      conditions(h)[2],
      'ScalingLimited True TooManyReplicas: the desired replica count is more than the maximum replica count',
    );
  });

  test('without a metrics API it reports the failure and does not scale', async () => {
    c = new HorizontalPodAutoscalerController(h.deps, {});
    deployment(h, 2);
    pod(h, 'web-1');
    hpa(h);
    await c.syncAll();
    assert.equal(replicas(h), 2);
    const detail =
      'unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
    assert.deepEqual(h.events.lines(), [
      `Warning FailedGetResourceMetric failed to get cpu utilization: ${detail}`,
      `Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: ${detail}`,
    ]);
    assert.deepEqual(conditions(h), [
      "AbleToScale True SucceededGetScale: the HPA controller was able to get the target's current scale",
      `ScalingActive False FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: ${detail}`,
    ]);
    const st = stored(h).status!;
    assert.deepEqual(st.currentMetrics, [{ type: '' }]);
    assert.equal(st.currentReplicas, 2);
  });

  test('Pods metrics need a custom metrics API: ScalingActive False, never an invented value', async () => {
    deployment(h, 1);
    pod(h, 'web-1');
    hpa(h, {
      metrics: [
        {
          type: 'Pods',
          pods: { metric: { name: 'packets' }, target: { type: 'AverageValue', averageValue: '1k' } },
        },
      ],
    });
    await c.syncAll();
    assert.deepEqual(h.events.lines('FailedGetPodsMetric'), [
      'Warning FailedGetPodsMetric unable to get metric packets: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered',
    ]);
    assert.match(
      conditions(h)[1]!,
      /^ScalingActive False FailedGetPodsMetric: the HPA was unable to compute the replica count: unable to get metric packets/,
    );
    assert.equal(replicas(h), 1);
  });

  test('two HPAs over the same pods: AmbiguousSelector, and neither scales', async () => {
    deployment(h, 1);
    pod(h, 'web-1');
    metrics.cpu.set('web-1', 500);
    hpa(h);
    const second = structuredClone(stored(h));
    h.client.create('horizontalpodautoscalers', {
      ...second,
      metadata: { name: 'web2', namespace: 'default' },
    });
    await c.syncAll();
    assert.equal(replicas(h), 1);
    const msg = 'pods by selector app=web are controlled by multiple HPAs: [default/web default/web2]';
    assert.deepEqual(h.events.lines('AmbiguousSelector'), [
      `Warning AmbiguousSelector ${msg}`,
      `Warning AmbiguousSelector ${msg}`,
    ]);
    assert.equal(conditions(h)[1], `ScalingActive False AmbiguousSelector: ${msg}`);
    assert.equal(stored(h).status?.currentMetrics, null);
  });

  test('any kind with a scale subresource is a target (StatefulSet); one without is not (DaemonSet)', async () => {
    h.client.create('statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 1,
        serviceName: 'db',
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'busybox' }] },
        },
      },
    });
    pod(h, 'db-0');
    metrics.cpu.set('db-0', 100);
    hpa(h, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' } });
    await c.syncAll();
    assert.equal((h.client.get('statefulsets', 'default', 'db')!.spec as { replicas: number }).replicas, 2);
    const cur = stored(h);
    h.client.update('horizontalpodautoscalers', {
      ...cur,
      spec: { ...cur.spec!, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' } },
    });
    await c.syncAll();
    assert.deepEqual(h.events.lines('FailedGetScale'), [
      'Warning FailedGetScale the server could not find the requested resource',
    ]);
  });

  test('a missing target: AbleToScale False FailedGetScale', async () => {
    hpa(h);
    await c.syncAll();
    assert.deepEqual(h.events.lines(), ['Warning FailedGetScale deployments.apps "web" not found']);
    assert.deepEqual(conditions(h), [
      'AbleToScale False FailedGetScale: the HPA controller was unable to get the target\'s current scale: deployments.apps "web" not found',
    ]);
  });

  test('replicas outside the bounds are brought in; a target at zero disables scaling', async () => {
    deployment(h, 12);
    hpa(h);
    await c.syncAll();
    assert.equal(replicas(h), 10);
    assert.deepEqual(h.events.lines('SuccessfulRescale'), [
      'Normal SuccessfulRescale New size: 10; reason: Current number of replicas above Spec.MaxReplicas',
    ]);
    const d = h.client.get('deployments', 'default', 'web')!;
    h.client.update('deployments', { ...d, spec: { ...(d.spec as object), replicas: 0 } });
    h.clock.advance(15);
    await c.syncAll();
    assert.equal(replicas(h), 0);
    assert.match(
      conditions(h)[1]!,
      /^ScalingActive False ScalingDisabled: scaling is disabled since the replica count of the target is zero$/,
    );
  });

  test('scale-down waits for the downscale stabilization window of spec.behavior', async () => {
    deployment(h, 4);
    for (const n of ['a', 'b', 'c', 'd']) {
      pod(h, n);
      metrics.cpu.set(n, 50);
    }
    hpa(h, {
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds: 60,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
      },
    });
    await c.syncAll();
    assert.equal(replicas(h), 4, 'the initial recommendation (4) holds');
    for (const n of ['a', 'b', 'c', 'd']) metrics.cpu.set(n, 5);
    h.clock.advance(30);
    await c.syncAll();
    assert.equal(replicas(h), 4);
    assert.match(
      conditions(h)[0]!,
      /^AbleToScale True ScaleDownStabilized: recent recommendations were higher than current one/,
    );
    h.clock.advance(45);
    await c.syncAll();
    assert.equal(replicas(h), 1, 'the window passed: ceil(10% / 50% × 4) = 1');
    assert.deepEqual(h.events.lines('SuccessfulRescale'), [
      'Normal SuccessfulRescale New size: 1; reason: All metrics below target',
    ]);
  });

  test('a scale-down policy limits the rate: 1 pod per 60 s', async () => {
    deployment(h, 4);
    for (const n of ['a', 'b', 'c', 'd']) {
      pod(h, n);
      metrics.cpu.set(n, 5);
    }
    hpa(h, {
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
        },
      },
    });
    await c.syncAll();
    assert.equal(replicas(h), 3);
    assert.match(
      conditions(h)[2]!,
      /^ScalingLimited True ScaleDownLimit: the desired replica count is decreasing faster than the maximum scale rate$/,
    );
    h.clock.advance(30);
    await c.syncAll();
    assert.equal(replicas(h), 3, 'the period has room for no more');
    h.clock.advance(31);
    await c.syncAll();
    assert.equal(replicas(h), 2);
  });
});

describe('HorizontalPodAutoscalerController: memory AverageValue', () => {
  test('usage per pod against the target; status in DecimalSI as upstream', async () => {
    const h = newHarness();
    createNamespace(h, 'default');
    const source: PodMetricsSource = {
      podsUsage: async (pods) =>
        pods.map(() => ({
          containers: [{ name: 'app', cpuNanoCores: 0, memoryWorkingSetBytes: 24_000_000 }],
          timestamp: h.clock.now(),
          windowSeconds: 15,
        })),
    };
    const c = new HorizontalPodAutoscalerController(h.deps, { podMetrics: source });
    deployment(h, 2);
    pod(h, 'a');
    pod(h, 'b');
    hpa(h, {
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '12M' } },
        },
      ],
    });
    await c.syncAll();
    assert.equal(replicas(h), 4, '24M / 12M × 2 = 4');
    assert.deepEqual(stored(h).status?.currentMetrics, [
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '24M' } } },
    ]);
    assert.deepEqual(h.events.lines('SuccessfulRescale'), [
      'Normal SuccessfulRescale New size: 4; reason: memory resource above target',
    ]);
  });
});
