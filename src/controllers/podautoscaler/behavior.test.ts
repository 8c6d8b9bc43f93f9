/**
 * Stabilization and rate limits, with cases from upstream's horizontal_test.go
 * (TestConvertDesiredReplicasWithRules, TestNormalizeDesiredReplicas, and the scale-rate cases
 * whose expectations are the same under autoscaling/v2's policies).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HPAScalingRules } from 'kubernetes-types/autoscaling/v2';
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  type ScaleEvent,
  ScalingHistory,
  scaleUpLimit,
} from './behavior.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');
const ago = (s: number): number => NOW - s * 1000;

describe('convertDesiredReplicasWithRules (no behavior)', () => {
  const cases: [string, number, number, number, number, number, string][] = [
    ['within range', 5, 7, 3, 8, 7, 'DesiredWithinRange'],
    ['below minReplicas', 3, 1, 2, 8, 2, 'TooFewReplicas'],
    ['zero allowed by minReplicas 0', 1, 0, 0, 10, 0, 'DesiredWithinRange'],
    ['maxReplicas below the scale-up limit', 20, 1000, 1, 10, 10, 'TooManyReplicas'],
    ['the scale-up limit below maxReplicas', 3, 1000, 1, 2000, scaleUpLimit(3), 'ScaleUpLimit'],
  ];
  for (const [name, current, desired, min, max, want, reason] of cases) {
    test(name, () => {
      const r = convertDesiredReplicasWithRules(current, desired, min, max);
      assert.deepEqual([r.replicas, r.reason], [want, reason]);
    });
  }
});

describe('stabilize (downscale window, no behavior)', () => {
  const FIVE_MIN = 5 * 60_000;
  const cases: [string, [number, number][], number, number, number][] = [
    ['empty log', [], 5, 5, 1],
    [
      'stabilize',
      [
        [4, ago(120)],
        [5, ago(60)],
      ],
      3,
      5,
      3,
    ],
    [
      'no stabilize',
      [
        [1, ago(120)],
        [2, ago(60)],
      ],
      3,
      3,
      3,
    ],
    [
      'no stabilize - old recommendations',
      [
        [10, ago(600)],
        [9, ago(540)],
      ],
      3,
      3,
      2,
    ],
    [
      'stabilize - old recommendations',
      [
        [10, ago(600)],
        [4, ago(60)],
        [5, ago(120)],
        [9, ago(540)],
      ],
      3,
      5,
      4,
    ],
  ];
  for (const [name, log, proposed, want, logLength] of cases) {
    test(name, () => {
      const h = new ScalingHistory();
      h.setRecommendations(
        'k',
        log.map(([replicas, at]) => ({ replicas, at })),
      );
      assert.equal(h.stabilize('k', proposed, FIVE_MIN, NOW), want);
      assert.equal(h.recommendations('k').length, logLength);
    });
  }
});

/** Upstream's generateEvents: the changes within the period, one just outside it, one outdated. */
function events(changes: number[], periodSeconds: number): ScaleEvent[] {
  return [
    ...changes.map((change, i) => ({ change, at: ago(i % periodSeconds), outdated: false })),
    { change: 42, at: ago(periodSeconds + 1), outdated: false },
    { change: 42, at: ago(periodSeconds + 100), outdated: true },
  ];
}

const rules = (policies: HPAScalingRules['policies'], selectPolicy = 'Max'): HPAScalingRules => ({
  selectPolicy,
  stabilizationWindowSeconds: 0,
  policies,
});
const DEFAULT_UP = rules([
  { type: 'Pods', value: 4, periodSeconds: 15 },
  { type: 'Percent', value: 100, periodSeconds: 15 },
]);
const DEFAULT_DOWN = rules([{ type: 'Percent', value: 100, periodSeconds: 15 }]);

describe('convertDesiredReplicasWithBehaviorRate', () => {
  const run = (a: Partial<Parameters<typeof convertDesiredReplicasWithBehaviorRate>[0]>) =>
    convertDesiredReplicasWithBehaviorRate(
      {
        current: 10,
        desired: 50,
        min: 1,
        max: 1000,
        scaleUp: DEFAULT_UP,
        scaleDown: DEFAULT_DOWN,
        upEvents: [],
        downEvents: [],
        ...a,
      },
      NOW,
    );

  test('scale-up with the default rules: the larger of +4 pods and +100%', () => {
    assert.deepEqual(run({}), {
      replicas: 20,
      reason: 'ScaleUpLimit',
      message: 'the desired replica count is increasing faster than the maximum scale rate',
    });
  });

  test('scale-up: the policy allowing the most wins under Max, the least under Min', () => {
    const policies = [
      { type: 'Pods', value: 100, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ];
    assert.equal(run({ desired: 500, scaleUp: rules(policies) }).replicas, 110);
    assert.equal(run({ desired: 500, scaleUp: rules(policies, 'Min') }).replicas, 20);
    assert.equal(run({ desired: 500, scaleUp: rules(policies, 'Disabled') }).replicas, 10);
  });

  test('scale-up within maxReplicas and the rate: as proposed', () => {
    assert.equal(
      run({ desired: 50, scaleUp: rules([{ type: 'Pods', value: 100, periodSeconds: 15 }]) }).replicas,
      50,
    );
    assert.deepEqual(
      run({ desired: 50, max: 30, scaleUp: rules([{ type: 'Pods', value: 100, periodSeconds: 15 }]) }),
      {
        replicas: 30,
        reason: 'TooManyReplicas',
        message: 'the desired replica count is more than the maximum replica count',
      },
    );
  });

  test('scale-up counts from the size at the start of the period: (100 - 15) + 100%', () => {
    const up = rules([{ type: 'Percent', value: 100, periodSeconds: 60 }]);
    assert.equal(
      run({ current: 100, desired: 500, scaleUp: up, upEvents: events([1, 2, 3, 4, 5], 60) }).replicas,
      170,
    );
  });

  test('no further scale-up while recent scale-ups fill the period', () => {
    const up = rules([
      { type: 'Pods', value: 5, periodSeconds: 120 },
      { type: 'Percent', value: 0, periodSeconds: 120 },
    ]);
    assert.equal(
      run({ current: 100, desired: 500, scaleUp: up, upEvents: events([1, 5, 9], 120) }).replicas,
      100,
    );
  });

  test('scale-down: 100% allows minReplicas; Pods limits the step', () => {
    assert.deepEqual(run({ current: 10, desired: 0, min: 5 }), {
      replicas: 5,
      reason: 'TooFewReplicas',
      message: 'the desired replica count is less than the minimum replica count',
    });
    assert.deepEqual(
      run({ current: 10, desired: 2, scaleDown: rules([{ type: 'Pods', value: 5, periodSeconds: 15 }]) }),
      {
        replicas: 5,
        reason: 'ScaleDownLimit',
        message: 'the desired replica count is decreasing faster than the maximum scale rate',
      },
    );
    // Max picks the policy allowing the biggest drop (-20 pods over -1%); Min the smallest.
    const both = [
      { type: 'Pods', value: 20, periodSeconds: 15 },
      { type: 'Percent', value: 1, periodSeconds: 15 },
    ];
    assert.equal(run({ current: 100, desired: 2, scaleDown: rules(both) }).replicas, 80);
    assert.equal(run({ current: 100, desired: 2, scaleDown: rules(both, 'Min') }).replicas, 99);
  });
});

describe('stabilizeWithBehaviors', () => {
  test('scale-up window: the lowest recent recommendation; scale-down window: the highest', () => {
    const h = new ScalingHistory();
    h.setRecommendations('k', [
      { replicas: 3, at: ago(20) },
      { replicas: 8, at: ago(100) },
    ]);
    // Up window 60 s: min(3, 10) = 3, so a scale-up from 5 is held at 5.
    const up = h.stabilizeWithBehaviors('k', 5, 10, 60, 300, NOW);
    assert.deepEqual([up.replicas, up.reason], [5, 'ScaleUpStabilized']);
    // Down window 300 s: max(8, 3, 10, 1) = 10 → a scale-down from 10 waits.
    const down = h.stabilizeWithBehaviors('k', 10, 1, 0, 300, NOW + 1000);
    assert.deepEqual([down.replicas, down.reason], [10, 'ScaleDownStabilized']);
  });
});
