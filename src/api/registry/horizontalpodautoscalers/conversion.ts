/**
 * autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscaler, as upstream's
 * pkg/apis/autoscaling/v1/conversion.go. v2 is stored; v1 is a view of the same object:
 *  - spec.targetCPUUtilizationPercentage ↔ the first Resource cpu metric with a Utilization target;
 *  - every other metric rides in the annotation `autoscaling.alpha.kubernetes.io/metrics` (in v1's own
 *    MetricSpec shape), the current metrics in `.../current-metrics`, the conditions in
 *    `.../conditions` and spec.behavior in `.../behavior` (as upstream, the JSON of the internal Go
 *    type: capitalised field names), so a v1 read-modify-write keeps them;
 *  - a v1 object with no metric at all gets the implicit CPU 80% target v1 always had.
 * Converting back to v2 removes those annotations again.
 */

import type {
  HorizontalPodAutoscaler as HPAv1,
  HorizontalPodAutoscalerSpec as SpecV1,
  HorizontalPodAutoscalerStatus as StatusV1,
} from 'kubernetes-types/autoscaling/v1';
import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerBehavior,
  HorizontalPodAutoscalerCondition,
  MetricSpec,
  MetricStatus,
} from 'kubernetes-types/autoscaling/v2';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../types.js';
import {
  def,
  type GoScalingRules,
  metricSpecFromV1,
  metricSpecToV1,
  metricStatusFromV1,
  metricStatusToV1,
  rulesFromGo,
  rulesToGo,
  type V1MetricSpec,
  type V1MetricStatus,
} from './conversion-metrics.js';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
/** DropRoundTripHorizontalPodAutoscalerAnnotations drops these four. */
const ROUND_TRIP_ANNOTATIONS = [
  METRIC_SPECS_ANNOTATION,
  METRIC_STATUSES_ANNOTATION,
  CONDITIONS_ANNOTATION,
  BEHAVIOR_ANNOTATION,
] as const;
/** autoscaling.DefaultCPUUtilization: the target a v1 HPA without one always had. */
export const DEFAULT_CPU_UTILIZATION = 80;

const isCpu = (m: MetricSpec | MetricStatus): boolean => m.type === 'Resource' && m.resource?.name === 'cpu';

/** v2 (stored) → v1, as Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler. */
export function hpaToV1(hpa: HorizontalPodAutoscaler): HPAv1 {
  const spec = hpa.spec;
  const metrics = spec?.metrics ?? [];
  const out: HPAv1 & { metadata: ObjectMeta } = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: structuredClone(hpa.metadata ?? {}),
  };
  if (spec) {
    const s: SpecV1 = def({
      scaleTargetRef: structuredClone(spec.scaleTargetRef),
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
    });
    // The first cpu Resource metric with a Utilization target.
    const cpu = metrics.find((m) => isCpu(m) && m.resource?.target.averageUtilization !== undefined);
    if (cpu) s.targetCPUUtilizationPercentage = cpu.resource!.target.averageUtilization!;
    out.spec = s;
  }
  const status = hpa.status;
  if (status) {
    const st: StatusV1 = def({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
    });
    for (const m of status.currentMetrics ?? []) {
      if (isCpu(m) && m.resource?.current.averageUtilization !== undefined)
        st.currentCPUUtilizationPercentage = m.resource.current.averageUtilization;
    }
    out.status = st;
  }
  const others = metrics.filter((m) => !(isCpu(m) && m.resource?.target.averageUtilization !== undefined));
  // Round-trip annotations already on the object are dropped: the only ones are those made here.
  const annotations: Record<string, string> = { ...(out.metadata.annotations ?? {}) };
  for (const k of ROUND_TRIP_ANNOTATIONS) delete annotations[k];
  if (others.length > 0) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others.map(metricSpecToV1));
  if ((status?.currentMetrics ?? []).length > 0)
    annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(status!.currentMetrics!.map(metricStatusToV1));
  if ((status?.conditions ?? []).length > 0)
    annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status!.conditions);
  if (spec?.behavior)
    annotations[BEHAVIOR_ANNOTATION] = JSON.stringify({
      ScaleUp: rulesToGo(spec.behavior.scaleUp),
      ScaleDown: rulesToGo(spec.behavior.scaleDown),
    });
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  else delete out.metadata.annotations;
  return out;
}

function parseAnnotation<T>(value: string): T | undefined {
  try {
    return JSON.parse(value) as T;
  } catch {
    // Upstream's conversion fails on a malformed annotation; a value that is not JSON is dropped here.
    return undefined;
  }
}

/** v1 → v2 (stored), as Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler. */
export function hpaFromV1(v1: HPAv1): HorizontalPodAutoscaler {
  const meta: ObjectMeta = structuredClone(v1.metadata ?? {});
  const annotations = { ...(meta.annotations ?? {}) };
  const out: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta,
  };
  const spec = v1.spec;
  let metrics: MetricSpec[] = [];
  if (spec?.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage !== null) {
    metrics.push({
      type: 'Resource',
      resource: {
        name: 'cpu',
        target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
      },
    });
  }
  const other = annotations[METRIC_SPECS_ANNOTATION];
  if (other !== undefined) {
    const list = parseAnnotation<V1MetricSpec[]>(other);
    // The annotation's metrics first, then the one from targetCPUUtilizationPercentage.
    if (Array.isArray(list)) metrics = [...list.map(metricSpecFromV1), ...metrics];
    delete annotations[METRIC_SPECS_ANNOTATION];
  }
  if (metrics.length === 0) {
    metrics = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION },
        },
      },
    ];
  }
  let behavior: HorizontalPodAutoscalerBehavior | undefined;
  const b = annotations[BEHAVIOR_ANNOTATION];
  if (b !== undefined) {
    const go = parseAnnotation<{ ScaleUp?: GoScalingRules | null; ScaleDown?: GoScalingRules | null }>(b);
    // An empty behavior ({} or both rules null) is no behavior.
    if (go && typeof go === 'object' && (go.ScaleUp || go.ScaleDown))
      behavior = def({ scaleUp: rulesFromGo(go.ScaleUp), scaleDown: rulesFromGo(go.ScaleDown) });
    delete annotations[BEHAVIOR_ANNOTATION];
  }
  out.spec = def({
    scaleTargetRef: structuredClone(spec?.scaleTargetRef ?? { kind: '', name: '' }),
    minReplicas: spec?.minReplicas,
    maxReplicas: spec?.maxReplicas ?? 0,
    metrics,
    behavior,
  });
  const st = v1.status;
  if (st) {
    let currentMetrics: MetricStatus[] | undefined;
    if (st.currentCPUUtilizationPercentage !== undefined && st.currentCPUUtilizationPercentage !== null)
      currentMetrics = [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: st.currentCPUUtilizationPercentage } },
        },
      ];
    const cur = annotations[METRIC_STATUSES_ANNOTATION];
    if (cur !== undefined) {
      const list = parseAnnotation<V1MetricStatus[]>(cur);
      if (Array.isArray(list)) currentMetrics = list.map(metricStatusFromV1);
    }
    let conditions: HorizontalPodAutoscalerCondition[] | undefined;
    const c = annotations[CONDITIONS_ANNOTATION];
    if (c !== undefined) {
      const list = parseAnnotation<HorizontalPodAutoscalerCondition[]>(c);
      if (Array.isArray(list)) conditions = list;
    }
    out.status = def({
      observedGeneration: st.observedGeneration,
      lastScaleTime: st.lastScaleTime,
      currentReplicas: st.currentReplicas,
      desiredReplicas: st.desiredReplicas,
      currentMetrics,
      conditions,
    });
  }
  delete annotations[METRIC_STATUSES_ANNOTATION];
  delete annotations[CONDITIONS_ANNOTATION];
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  else delete meta.annotations;
  return out;
}

/** The two directions over the registry's untyped objects. */
export const hpaV1View = {
  toStored: (o: KubeObject): KubeObject => hpaFromV1(o as HPAv1) as KubeObject,
  fromStored: (o: KubeObject): KubeObject => hpaToV1(o as HorizontalPodAutoscaler) as KubeObject,
};
