/**
 * Cases from upstream's replica_calculator_test.go (1.32), one container per pod (upstream's
 * fixtures have two identical ones, which doubles only the raw value), with its test timings: a
 * 2 min CPU initialization period and a 10 s initial readiness delay; "hot" pods started 30 s ago
 * and became ready then, "cool" ones 10 min ago.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import {
  type CalculatorOptions,
  getRawResourceReplicas,
  getResourceReplicas,
  type PodMetrics,
} from './replica-calculator.js';

const NOW = new Date('2026-11-25T08:00:00Z');
const OPTIONS: CalculatorOptions = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 120_000,
  delayOfInitialReadinessStatusMs: 10_000,
};
const ago = (s: number): string => new Date(NOW.getTime() - s * 1000).toISOString();

interface Case {
  name: string;
  current: number;
  expected: number;
  requests: string[];
  /** Millicores per pod with a metric, in pod order (pods past the end have none). */
  levels: number[];
  target: number;
  utilization?: number;
  value?: number;
  readiness?: ('True' | 'False')[];
  phase?: string[];
  deleting?: boolean[];
  hot?: boolean[];
  error?: RegExp;
}

function pods(c: Case): Pod[] {
  return c.requests.map((r, i) => {
    const start = c.hot?.[i] ? ago(30) : ago(600);
    return {
      metadata: {
        name: `pod-${i}`,
        ...(c.deleting?.[i] ? { deletionTimestamp: ago(1) } : {}),
      },
      spec: { containers: [{ name: 'app', resources: { requests: { cpu: r } } }] },
      status: {
        phase: c.phase?.[i] ?? 'Running',
        startTime: start,
        conditions: [{ type: 'Ready', status: c.readiness?.[i] ?? 'True', lastTransitionTime: start }],
      },
    } as Pod;
  });
}

function metrics(c: Case): PodMetrics {
  return new Map(c.levels.map((v, i) => [`pod-${i}`, { value: v, timestamp: NOW, windowMs: 60_000 }]));
}

const CASES: Case[] = [
  {
    name: 'ScaleUp',
    current: 3,
    expected: 5,
    requests: ['1', '1', '1'],
    levels: [300, 500, 700],
    target: 30,
    utilization: 50,
    value: 500,
  },
  {
    name: 'ScaleUpUnreadyLessScale',
    current: 3,
    expected: 4,
    readiness: ['False', 'True', 'True'],
    requests: ['1', '1', '1'],
    levels: [300, 500, 700],
    target: 30,
    utilization: 60,
    value: 600,
  },
  {
    name: 'ScaleUpHotCpuLessScale',
    current: 3,
    expected: 4,
    hot: [true, false, false],
    requests: ['1', '1', '1'],
    levels: [300, 500, 700],
    target: 30,
    utilization: 60,
    value: 600,
  },
  {
    name: 'ScaleUpUnreadyNoScale',
    current: 3,
    expected: 3,
    readiness: ['True', 'False', 'False'],
    requests: ['1', '1', '1'],
    levels: [400, 500, 700],
    target: 30,
    utilization: 40,
    value: 400,
  },
  {
    name: 'ScaleHotCpuNoScale',
    current: 3,
    expected: 3,
    readiness: ['True', 'False', 'False'],
    hot: [false, true, true],
    requests: ['1', '1', '1'],
    levels: [400, 500, 700],
    target: 30,
    utilization: 40,
    value: 400,
  },
  {
    name: 'ScaleUpIgnoresFailedPods',
    current: 2,
    expected: 4,
    readiness: ['True', 'True', 'False', 'False'],
    phase: ['Running', 'Running', 'Failed', 'Failed'],
    requests: ['1', '1', '1', '1'],
    levels: [500, 700],
    target: 30,
    utilization: 60,
    value: 600,
  },
  {
    name: 'ScaleUpIgnoresDeletionPods',
    current: 2,
    expected: 4,
    readiness: ['True', 'True', 'False', 'False'],
    deleting: [false, false, true, true],
    requests: ['1', '1', '1', '1'],
    levels: [500, 700],
    target: 30,
    utilization: 60,
    value: 600,
  },
  {
    name: 'ScaleDown',
    current: 5,
    expected: 3,
    requests: ['1', '1', '1', '1', '1'],
    levels: [100, 300, 500, 250, 250],
    target: 50,
    utilization: 28,
    value: 280,
  },
  {
    name: 'Tolerance',
    current: 3,
    expected: 3,
    requests: ['0.9', '1.0', '1.1'],
    levels: [1010, 1030, 1020],
    target: 100,
    utilization: 102,
    value: 1020,
  },
  {
    // Missing pods at their full request (495 + 2000 of 4000 = 62% of a 50% target) would turn the
    // scale-down into a scale-up: no change.
    name: 'MissingMetrics that would flip the direction',
    current: 4,
    expected: 4,
    requests: ['1', '1', '1', '1'],
    levels: [400, 95],
    target: 50,
    utilization: 24,
    value: 247,
  },
  {
    // A target above 100%: missing pods count as using the target (150%): 3200 of 4000 = 80% → 3.
    name: 'MissingMetrics on a scale-down use max(100%, target)',
    current: 4,
    expected: 3,
    requests: ['1', '1', '1', '1'],
    levels: [100, 100],
    target: 150,
    utilization: 10,
    value: 100,
  },
  {
    name: 'DisjointResourcesMetrics',
    current: 1,
    expected: 0,
    requests: ['1'],
    levels: [],
    target: 100,
    error: /did not receive metrics for targeted pods/,
  },
];

describe('getResourceReplicas (Utilization)', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const run = () =>
        getResourceReplicas({
          currentReplicas: c.current,
          targetUtilization: c.target,
          resource: 'cpu',
          pods: pods(c),
          metrics: metrics(c),
          now: NOW,
          options: OPTIONS,
        });
      if (c.error) {
        assert.throws(run, c.error);
        return;
      }
      const r = run();
      assert.deepEqual(
        { replicas: r.replicas, utilization: r.utilization, value: r.rawAverage },
        { replicas: c.expected, utilization: c.utilization, value: c.value },
      );
    });
  }

  test('a container without a request is an error naming it', () => {
    const c = CASES[0]!;
    const ps = pods(c);
    delete ps[1]!.spec!.containers[0]!.resources;
    assert.throws(
      () =>
        getResourceReplicas({
          currentReplicas: 3,
          targetUtilization: 30,
          resource: 'cpu',
          pods: ps,
          metrics: metrics(c),
          now: NOW,
          options: OPTIONS,
        }),
      /missing request for cpu in container app of Pod pod-1/,
    );
  });

  test('no pods', () => {
    assert.throws(
      () =>
        getResourceReplicas({
          currentReplicas: 1,
          targetUtilization: 30,
          resource: 'cpu',
          pods: [],
          metrics: new Map(),
          now: NOW,
        }),
      /no pods returned by selector while calculating replica count/,
    );
  });
});

describe('getRawResourceReplicas (AverageValue)', () => {
  const base = { current: 3, requests: ['1', '1', '1'], target: 0, expected: 0, name: '' };
  test('scale up by the average over the target', () => {
    // TestReplicaCalcScaleUpCM's numbers: 20, 10 and 30 against 15 → 20/15 × 3 = 4.
    const c = { ...base, levels: [20000, 10000, 30000] };
    const r = getRawResourceReplicas({
      currentReplicas: 3,
      targetUsage: 15000,
      resource: 'memory',
      pods: pods(c),
      metrics: metrics(c),
      now: NOW,
    });
    assert.deepEqual(r, { replicas: 4, usage: 20000 });
  });

  test('missing pods count as using the target on a scale-down', () => {
    const c = { ...base, levels: [5000, 5000] };
    // 5000/15000 → ratio 0.33; the missing pod at 15000 → 8333/15000 = 0.56 × 3 = 2.
    const r = getRawResourceReplicas({
      currentReplicas: 3,
      targetUsage: 15000,
      resource: 'memory',
      pods: pods(c),
      metrics: metrics(c),
      now: NOW,
    });
    assert.deepEqual(r, { replicas: 2, usage: 5000 });
  });
});
