import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HorizontalPodAutoscaler as HPAv1 } from 'kubernetes-types/autoscaling/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import { formatFieldError } from '../../validation/field.js';
import {
  BEHAVIOR_ANNOTATION,
  CONDITIONS_ANNOTATION,
  hpaFromV1,
  hpaToV1,
  METRIC_SPECS_ANNOTATION,
  METRIC_STATUSES_ANNOTATION,
} from './conversion.js';
import { defaultHorizontalPodAutoscaler } from './defaults.js';
import { formatHPAMetrics, horizontalPodAutoscalerTable } from './table.js';
import { validateHorizontalPodAutoscaler, validateHorizontalPodAutoscalerUpdate } from './validation.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

function hpa(spec: Partial<NonNullable<HorizontalPodAutoscaler['spec']>> = {}): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: ref, maxReplicas: 3, ...spec },
  };
}

const errors = (h: HorizontalPodAutoscaler): string[] =>
  validateHorizontalPodAutoscaler(h).map(formatFieldError);

describe('autoscaling/v1 ↔ v2 conversion', () => {
  test('targetCPUUtilizationPercentage is a cpu Utilization metric', () => {
    const v1: HPAv1 = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
    };
    const v2 = hpaFromV1(v1);
    assert.deepEqual(v2.spec?.metrics, [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ]);
    assert.deepEqual(hpaToV1(v2).spec, v1.spec);
  });

  test('round-trip annotations already on the stored object are not served as they are', () => {
    const v2 = hpa({
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } },
        },
      ],
    });
    v2.metadata = {
      ...v2.metadata,
      annotations: { [BEHAVIOR_ANNOTATION]: 'stale', [CONDITIONS_ANNOTATION]: 'stale', keep: 'x' },
    };
    const v1 = hpaToV1(v2);
    // A cpu metric without a Utilization target is not targetCPUUtilizationPercentage: it rides along.
    assert.equal(v1.spec?.targetCPUUtilizationPercentage, undefined);
    assert.deepEqual(Object.keys(v1.metadata?.annotations ?? {}).sort(), [METRIC_SPECS_ANNOTATION, 'keep']);
    assert.deepEqual(hpaFromV1(v1).spec?.metrics, v2.spec?.metrics);
    // The first cpu metric with a Utilization target is the v1 target, wherever it is.
    const both = hpa({
      metrics: [
        v2.spec!.metrics![0]!,
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
    });
    assert.equal(hpaToV1(both).spec?.targetCPUUtilizationPercentage, 60);
    // A malformed annotation is ignored (and dropped), as upstream's json.Unmarshal error check.
    const bad = hpaFromV1({ ...v1, metadata: { annotations: { [BEHAVIOR_ANNOTATION]: '{', keep: 'x' } } });
    assert.equal(bad.spec?.behavior, undefined);
    assert.deepEqual(bad.metadata?.annotations, { keep: 'x' });
  });

  test('a v1 HPA without a target gets the implicit 80% cpu target', () => {
    const v2 = hpaFromV1({ metadata: { name: 'x' }, spec: { scaleTargetRef: ref, maxReplicas: 2 } });
    assert.deepEqual(v2.spec?.metrics, [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]);
  });

  test('other metrics, current metrics, conditions and behavior round-trip through the annotations', () => {
    const v2 = hpa({
      minReplicas: 2,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
        },
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
        {
          type: 'Pods',
          pods: { metric: { name: 'packets' }, target: { type: 'AverageValue', averageValue: '1k' } },
        },
        {
          type: 'External',
          external: {
            metric: { name: 'queue', selector: { matchLabels: { q: 'a' } } },
            target: { type: 'Value', value: '30' },
          },
        },
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
            metric: { name: 'rps' },
            target: { type: 'Value', value: '2k' },
          },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }],
        },
        scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      },
    });
    v2.status = {
      currentReplicas: 2,
      desiredReplicas: 3,
      lastScaleTime: '2026-11-25T08:00:00Z',
      currentMetrics: [
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '50Mi' } } },
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: 70, averageValue: '70m' } },
        },
      ],
      conditions: [
        {
          type: 'AbleToScale',
          status: 'True',
          reason: 'SucceededRescale',
          message: 'm',
          lastTransitionTime: '2026-11-25T08:00:00Z',
        },
      ],
    };
    const v1 = hpaToV1(v2);
    assert.equal(v1.spec?.targetCPUUtilizationPercentage, 60);
    assert.equal(v1.status?.currentCPUUtilizationPercentage, 70);
    const ann = v1.metadata?.annotations ?? {};
    assert.deepEqual(JSON.parse(ann[METRIC_SPECS_ANNOTATION]!)[0], {
      type: 'Resource',
      resource: { name: 'memory', targetAverageValue: '100Mi' },
    });
    assert.deepEqual(JSON.parse(ann[METRIC_STATUSES_ANNOTATION]!)[1], {
      type: 'Resource',
      resource: { name: 'cpu', currentAverageUtilization: 70, currentAverageValue: '70m' },
    });
    assert.ok(ann[CONDITIONS_ANNOTATION]);
    // The internal Go type's JSON: capitalised names, nil as null.
    assert.deepEqual(JSON.parse(ann[BEHAVIOR_ANNOTATION]!).ScaleDown, {
      StabilizationWindowSeconds: null,
      SelectPolicy: 'Min',
      Policies: [{ Type: 'Percent', Value: 10, PeriodSeconds: 60 }],
    });
    const back = hpaFromV1(v1);
    assert.equal(back.metadata?.annotations, undefined, 'the round-trip annotations are removed');
    // Upstream order: the annotation's metrics, then the one from targetCPUUtilizationPercentage.
    assert.deepEqual(back.spec?.metrics, [
      v2.spec!.metrics![0],
      v2.spec!.metrics![2],
      v2.spec!.metrics![3],
      v2.spec!.metrics![4],
      v2.spec!.metrics![1],
    ]);
    assert.deepEqual(back.spec?.behavior, v2.spec?.behavior);
    assert.deepEqual(back.status, v2.status);
  });
});

describe('defaults (autoscaling/v2 SetDefaults_HorizontalPodAutoscaler)', () => {
  test('minReplicas 1 and the 80% cpu metric; behavior left unset', () => {
    const h = hpa();
    defaultHorizontalPodAutoscaler(h);
    assert.equal(h.spec?.minReplicas, 1);
    assert.equal(h.spec?.metrics?.[0]?.resource?.target.averageUtilization, 80);
    assert.equal(h.spec?.behavior, undefined);
  });

  test('a set behavior gets every missing rule filled', () => {
    const h = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 30 } } });
    defaultHorizontalPodAutoscaler(h);
    assert.deepEqual(h.spec?.behavior, {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 30,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
  });
});

describe('validation', () => {
  test('replica bounds and the target reference', () => {
    assert.deepEqual(
      errors(hpa({ minReplicas: 0, maxReplicas: 0, scaleTargetRef: { kind: '', name: 'a/b' } })),
      [
        'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
        'spec.maxReplicas: Invalid value: 0: must be greater than 0',
        'spec.scaleTargetRef.kind: Required value',
        'spec.scaleTargetRef.name: Invalid value: "a/b": may not contain \'/\'',
        'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
      ],
    );
    assert.deepEqual(errors(hpa({ minReplicas: 4, maxReplicas: 3 })), [
      'spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`',
    ]);
  });

  test('metric sources: only the source the type names; a second one is forbidden', () => {
    assert.deepEqual(
      errors(
        hpa({
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
              pods: { metric: { name: 'p' }, target: { type: 'AverageValue', averageValue: '1' } },
            },
          ],
        }),
      ),
      ['spec.metrics[0].pods: Forbidden: must populate the given metric source only'],
    );
  });

  test('metric sources', () => {
    assert.deepEqual(
      errors(
        hpa({
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
            {
              type: 'Pods',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } },
            },
            { type: 'Bogus' },
          ],
        }),
      ),
      [
        'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
        'spec.metrics[1].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
        'spec.metrics[1].pods: Required value: must populate information for the given metric source',
        'spec.metrics[2].type: Unsupported value: "Bogus": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
        'spec.metrics[2].type: Unsupported value: "Bogus": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
      ],
    );
  });

  test('behavior rules', () => {
    assert.deepEqual(
      errors(
        hpa({
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 3601, selectPolicy: 'Most', policies: [] },
            scaleDown: { policies: [{ type: 'Percent', value: 0, periodSeconds: 1801 }] },
          },
        }),
      ),
      [
        'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600',
        'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Most": supported values: "Disabled", "Max", "Min"',
        'spec.behavior.scaleUp.policies: Required value: must specify at least one Policy',
        'spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero',
        'spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800',
      ],
    );
  });

  test('an HPA stored with minReplicas 0 may keep it', () => {
    const old = hpa({ minReplicas: 0 });
    assert.deepEqual(
      validateHorizontalPodAutoscalerUpdate(
        hpa({
          minReplicas: 0,
          metrics: [
            { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '1' } } },
          ],
        }),
        old,
      ),
      [],
    );
  });
});

describe('table', () => {
  test('TARGETS as kubectl 1.32 prints them', () => {
    const cpu = {
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
    };
    assert.equal(formatHPAMetrics([cpu], undefined), 'cpu: <unknown>/50%');
    assert.equal(
      formatHPAMetrics(
        [cpu],
        [
          {
            type: 'Resource',
            resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '6m' } },
          },
        ],
      ),
      'cpu: 12%/50%',
    );
    const mem = {
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
    };
    const pods = {
      type: 'Pods',
      pods: { metric: { name: 'p' }, target: { type: 'AverageValue', averageValue: '1k' } },
    };
    assert.equal(
      formatHPAMetrics([mem, cpu, pods], []),
      'memory: <unknown>/100Mi, cpu: <unknown>/50% + 1 more...',
    );
    assert.equal(formatHPAMetrics([], []), '<none>');
  });

  test('row', () => {
    const h = hpa({ minReplicas: 1 });
    h.metadata = { ...h.metadata, creationTimestamp: '2026-11-25T08:00:00Z' };
    h.status = { currentReplicas: 2, desiredReplicas: 2 };
    const row = horizontalPodAutoscalerTable.row(h, new Date('2026-11-25T08:05:00Z'));
    assert.deepEqual(row, ['web', 'Deployment/web', '<none>', '1', 3, 2, '5m']);
    assert.deepEqual(
      horizontalPodAutoscalerTable.columns.map((c) => c.name),
      ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
    );
  });
});
