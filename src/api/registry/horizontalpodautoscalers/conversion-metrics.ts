/**
 * The metric and behavior shapes autoscaling/v1 keeps in its round-trip annotations
 * (pkg/apis/autoscaling/v1/conversion.go): v1's own MetricSpec / MetricStatus (the v2beta1-style
 * targetAverageUtilization, metricName, ...) and the internal HPAScalingRules as Go encodes them.
 */
import type { HPAScalingRules, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';

type Selector = MetricSpec extends { pods?: { metric: { selector?: infer S } } } ? S : never;
interface Ref {
  kind: string;
  name: string;
  apiVersion?: string;
}

/** autoscaling/v1 MetricSpec (types.go), the shape of the metrics annotation. */
export interface V1MetricSpec {
  type: string;
  object?: {
    target: Ref;
    metricName: string;
    targetValue: string;
    selector?: Selector;
    averageValue?: string;
  };
  pods?: { metricName: string; targetAverageValue: string; selector?: Selector };
  resource?: { name: string; targetAverageUtilization?: number; targetAverageValue?: string };
  containerResource?: {
    name: string;
    targetAverageUtilization?: number;
    targetAverageValue?: string;
    container: string;
  };
  external?: {
    metricName: string;
    metricSelector?: Selector;
    targetValue?: string;
    targetAverageValue?: string;
  };
}

/** autoscaling/v1 MetricStatus, the shape of the current-metrics annotation. */
export interface V1MetricStatus {
  type: string;
  object?: {
    target: Ref;
    metricName: string;
    currentValue: string;
    selector?: Selector;
    averageValue?: string;
  };
  pods?: { metricName: string; currentAverageValue: string; selector?: Selector };
  resource?: { name: string; currentAverageUtilization?: number; currentAverageValue: string };
  containerResource?: {
    name: string;
    currentAverageUtilization?: number;
    currentAverageValue: string;
    container: string;
  };
  external?: {
    metricName: string;
    metricSelector?: Selector;
    currentValue: string;
    currentAverageValue?: string;
  };
}

export const def = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function metricSpecToV1(m: MetricSpec): V1MetricSpec {
  const out: V1MetricSpec = { type: m.type };
  if (m.object)
    out.object = def({
      target: def({
        kind: m.object.describedObject.kind,
        name: m.object.describedObject.name,
        apiVersion: m.object.describedObject.apiVersion,
      }),
      metricName: m.object.metric.name,
      targetValue: m.object.target.value ?? '0',
      selector: m.object.metric.selector,
      averageValue: m.object.target.averageValue,
    });
  if (m.pods)
    out.pods = def({
      metricName: m.pods.metric.name,
      targetAverageValue: m.pods.target.averageValue ?? '0',
      selector: m.pods.metric.selector,
    });
  if (m.resource)
    out.resource = def({
      name: m.resource.name,
      targetAverageUtilization: m.resource.target.averageUtilization,
      targetAverageValue: m.resource.target.averageValue,
    });
  if (m.containerResource)
    out.containerResource = def({
      name: m.containerResource.name,
      targetAverageUtilization: m.containerResource.target.averageUtilization,
      targetAverageValue: m.containerResource.target.averageValue,
      container: m.containerResource.container,
    });
  if (m.external)
    out.external = def({
      metricName: m.external.metric.name,
      metricSelector: m.external.metric.selector,
      targetValue: m.external.target.value,
      targetAverageValue: m.external.target.averageValue,
    });
  return out;
}

export function metricSpecFromV1(m: V1MetricSpec): MetricSpec {
  const out: MetricSpec = { type: m.type };
  if (m.object)
    out.object = {
      describedObject: def({
        kind: m.object.target.kind,
        name: m.object.target.name,
        apiVersion: m.object.target.apiVersion,
      }),
      metric: def({ name: m.object.metricName, selector: m.object.selector }),
      target: def({
        type: m.object.averageValue === undefined ? 'Value' : 'AverageValue',
        value: m.object.targetValue,
        averageValue: m.object.averageValue,
      }),
    };
  if (m.pods)
    out.pods = {
      metric: def({ name: m.pods.metricName, selector: m.pods.selector }),
      target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue },
    };
  if (m.resource)
    out.resource = {
      name: m.resource.name,
      target: def({
        type: m.resource.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization',
        averageUtilization: m.resource.targetAverageUtilization,
        averageValue: m.resource.targetAverageValue,
      }),
    };
  if (m.containerResource)
    out.containerResource = {
      name: m.containerResource.name,
      container: m.containerResource.container,
      target: def({
        type: m.containerResource.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization',
        averageUtilization: m.containerResource.targetAverageUtilization,
        averageValue: m.containerResource.targetAverageValue,
      }),
    };
  if (m.external)
    out.external = {
      metric: def({ name: m.external.metricName, selector: m.external.metricSelector }),
      target: def({
        type: m.external.targetValue === undefined ? 'AverageValue' : 'Value',
        value: m.external.targetValue,
        averageValue: m.external.targetAverageValue,
      }),
    };
  return out;
}

export function metricStatusToV1(m: MetricStatus): V1MetricStatus {
  const out: V1MetricStatus = { type: m.type };
  if (m.object)
    out.object = def({
      target: def({
        kind: m.object.describedObject.kind,
        name: m.object.describedObject.name,
        apiVersion: m.object.describedObject.apiVersion,
      }),
      metricName: m.object.metric.name,
      currentValue: m.object.current.value ?? '0',
      selector: m.object.metric.selector,
      averageValue: m.object.current.averageValue,
    });
  if (m.pods)
    out.pods = def({
      metricName: m.pods.metric.name,
      currentAverageValue: m.pods.current.averageValue ?? '0',
      selector: m.pods.metric.selector,
    });
  if (m.resource)
    out.resource = def({
      name: m.resource.name,
      currentAverageUtilization: m.resource.current.averageUtilization,
      currentAverageValue: m.resource.current.averageValue ?? '0',
    });
  if (m.containerResource)
    out.containerResource = def({
      name: m.containerResource.name,
      currentAverageUtilization: m.containerResource.current.averageUtilization,
      currentAverageValue: m.containerResource.current.averageValue ?? '0',
      container: m.containerResource.container,
    });
  if (m.external)
    out.external = def({
      metricName: m.external.metric.name,
      metricSelector: m.external.metric.selector,
      currentValue: m.external.current.value ?? '0',
      currentAverageValue: m.external.current.averageValue,
    });
  return out;
}

export function metricStatusFromV1(m: V1MetricStatus): MetricStatus {
  const out: MetricStatus = { type: m.type };
  if (m.object)
    out.object = {
      describedObject: def({
        kind: m.object.target.kind,
        name: m.object.target.name,
        apiVersion: m.object.target.apiVersion,
      }),
      metric: def({ name: m.object.metricName, selector: m.object.selector }),
      current: def({ value: m.object.currentValue, averageValue: m.object.averageValue }),
    };
  if (m.pods)
    out.pods = {
      metric: def({ name: m.pods.metricName, selector: m.pods.selector }),
      current: { averageValue: m.pods.currentAverageValue },
    };
  if (m.resource)
    out.resource = {
      name: m.resource.name,
      current: def({
        averageValue: m.resource.currentAverageValue,
        averageUtilization: m.resource.currentAverageUtilization,
      }),
    };
  if (m.containerResource)
    out.containerResource = {
      name: m.containerResource.name,
      container: m.containerResource.container,
      current: def({
        averageValue: m.containerResource.currentAverageValue,
        averageUtilization: m.containerResource.currentAverageUtilization,
      }),
    };
  if (m.external)
    out.external = {
      metric: def({ name: m.external.metricName, selector: m.external.metricSelector }),
      current: def({ value: m.external.currentValue, averageValue: m.external.currentAverageValue }),
    };
  return out;
}

/** Go's encoding of the internal HPAScalingRules (no json tags: field names as declared, nil as null). */
export interface GoScalingRules {
  StabilizationWindowSeconds: number | null;
  SelectPolicy: string | null;
  Policies: { Type: string; Value: number; PeriodSeconds: number }[] | null;
}

export function rulesToGo(r: HPAScalingRules | undefined): GoScalingRules | null {
  if (!r) return null;
  return {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: r.policies
      ? r.policies.map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds }))
      : null,
  };
}

export function rulesFromGo(r: GoScalingRules | null | undefined): HPAScalingRules | undefined {
  if (!r) return undefined;
  return def({
    stabilizationWindowSeconds: r.StabilizationWindowSeconds ?? undefined,
    selectPolicy: r.SelectPolicy ?? undefined,
    policies: r.Policies
      ? r.Policies.map((p) => ({ type: p.Type, value: p.Value, periodSeconds: p.PeriodSeconds }))
      : undefined,
  });
}
