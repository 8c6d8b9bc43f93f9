/**
 * computeReplicasForMetrics (horizontal.go, 1.32): one proposal per metric, the highest wins; a
 * metric that cannot be read leaves an empty status entry and, if every metric failed (or some
 * failed and the others would scale down), the HPA is not scaled and ScalingActive says why.
 * Resource and ContainerResource metrics come from the node's usage; Pods, Object and External
 * metrics need custom/external metrics APIs podbay does not serve, so they fail as upstream's do
 * without an adapter — never with invented values.
 */
import type {
  HorizontalPodAutoscaler,
  MetricSpec,
  MetricStatus,
  MetricTarget,
} from 'kubernetes-types/autoscaling/v2';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodMetricsSource } from '../../api/metrics/source.js';
import { canonicalizeQuantity, quantityMillis, tryParseQuantity } from '../../api/quantity.js';
import type { ConditionValue } from './conditions.js';
import { getResourceMetric, NO_CUSTOM_METRICS_API, noExternalMetric } from './metrics.js';
import { type CalculatorOptions, getRawResourceReplicas, getResourceReplicas } from './replica-calculator.js';

export interface MetricsContext {
  hpa: HorizontalPodAutoscaler;
  specReplicas: number;
  pods: readonly Pod[];
  source: PodMetricsSource | undefined;
  calculator: CalculatorOptions;
  now: Date;
  /** Records a Warning event on the HPA. */
  warn(reason: string, message: string): void;
}

export interface MetricsResult {
  /** -1: no usable proposal (the HPA is not scaled). */
  replicas: number;
  metric: string;
  statuses: MetricStatus[];
  error?: string;
  /** The condition to set: ScalingActive True, or the first failing metric's. */
  condition: ConditionValue;
}

class MetricError extends Error {
  constructor(
    message: string,
    readonly condition: ConditionValue,
  ) {
    super(message);
  }
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Quantity.MilliValue() of a target quantity. */
function milli(v: string | number | undefined): number {
  const q = v === undefined ? undefined : tryParseQuantity(v);
  return q === undefined || q instanceof Error ? 0 : Number(quantityMillis(q));
}

/** resource.NewMilliQuantity(v, DecimalSI).String(): 292m, 1, 12M. */
export const milliQuantity = (v: number): string => canonicalizeQuantity(`${v}m`);

function unable(ctx: MetricsContext, reason: string, message: string): ConditionValue {
  ctx.warn(reason, message);
  return {
    type: 'ScalingActive',
    status: 'False',
    reason,
    message: `the HPA was unable to compute the replica count: ${message}`,
  };
}

/** computeStatusForResourceMetricGeneric. */
async function resourceProposal(
  ctx: MetricsContext,
  target: MetricTarget,
  resource: string,
  container: string,
): Promise<{
  replicas: number;
  name: string;
  current: { averageValue: string; averageUtilization?: number };
}> {
  const fetch = async () => {
    try {
      return await getResourceMetric(ctx.source, ctx.pods, resource, container);
    } catch (e) {
      throw new Error(`unable to get metrics for resource ${resource}: ${errText(e)}`);
    }
  };
  if (target.averageValue !== undefined) {
    try {
      const { metrics } = await fetch();
      const r = getRawResourceReplicas({
        currentReplicas: ctx.specReplicas,
        targetUsage: milli(target.averageValue),
        resource,
        pods: ctx.pods,
        metrics,
        now: ctx.now,
        options: ctx.calculator,
      });
      return {
        replicas: r.replicas,
        name: container ? `${resource} container resource` : `${resource} resource`,
        current: { averageValue: milliQuantity(r.usage) },
      };
    } catch (e) {
      throw new Error(`failed to get ${resource} usage: ${errText(e)}`);
    }
  }
  if (target.averageUtilization === undefined)
    throw new Error(
      'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
    );
  try {
    const { metrics } = await fetch();
    const r = getResourceReplicas({
      currentReplicas: ctx.specReplicas,
      targetUtilization: target.averageUtilization,
      resource,
      container,
      pods: ctx.pods,
      metrics,
      now: ctx.now,
      options: ctx.calculator,
    });
    return {
      replicas: r.replicas,
      name: container
        ? `${resource} container resource utilization (percentage of request)`
        : `${resource} resource utilization (percentage of request)`,
      current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawAverage) },
    };
  } catch (e) {
    throw new Error(`failed to get ${resource} utilization: ${errText(e)}`);
  }
}

/** computeReplicasForMetric: one metric's proposal, or a MetricError with its condition. */
async function metricProposal(
  ctx: MetricsContext,
  spec: MetricSpec,
): Promise<{ replicas: number; name: string; status: MetricStatus }> {
  switch (spec.type) {
    case 'Resource': {
      const res = spec.resource!;
      try {
        const p = await resourceProposal(ctx, res.target, res.name, '');
        return {
          replicas: p.replicas,
          name: p.name,
          status: { type: 'Resource', resource: { name: res.name, current: p.current } },
        };
      } catch (e) {
        const condition = unable(ctx, 'FailedGetResourceMetric', errText(e));
        throw new MetricError(`failed to get ${res.name} resource metric value: ${errText(e)}`, condition);
      }
    }
    case 'ContainerResource': {
      const res = spec.containerResource!;
      try {
        const p = await resourceProposal(ctx, res.target, res.name, res.container);
        return {
          replicas: p.replicas,
          name: p.name,
          status: {
            type: 'ContainerResource',
            containerResource: { name: res.name, container: res.container, current: p.current },
          },
        };
      } catch (e) {
        const condition = unable(ctx, 'FailedGetContainerResourceMetric', errText(e));
        throw new MetricError(`failed to get ${res.name} container metric value: ${errText(e)}`, condition);
      }
    }
    case 'Pods': {
      const msg = `unable to get metric ${spec.pods?.metric.name ?? ''}: ${NO_CUSTOM_METRICS_API}`;
      const condition = unable(ctx, 'FailedGetPodsMetric', msg);
      throw new MetricError(`failed to get pods metric value: ${msg}`, condition);
    }
    case 'Object': {
      const o = spec.object;
      const msg = `unable to get metric ${o?.metric.name ?? ''}: ${o?.describedObject.kind ?? ''} on ${ctx.hpa.metadata?.namespace ?? ''} ${o?.describedObject.name ?? ''}/${NO_CUSTOM_METRICS_API}`;
      const condition = unable(ctx, 'FailedGetObjectMetric', msg);
      throw new MetricError(`failed to get object metric value: ${msg}`, condition);
    }
    case 'External': {
      const name = spec.external?.metric.name ?? '';
      const sel = spec.external?.metric.selector;
      const msg = `unable to get external metric ${ctx.hpa.metadata?.namespace ?? ''}/${name}/${sel ? JSON.stringify(sel) : 'nil'}: ${noExternalMetric(name)}`;
      const condition = unable(ctx, 'FailedGetExternalMetric', msg);
      throw new MetricError(`failed to get ${name} external metric value: ${msg}`, condition);
    }
    default: {
      const msg = `unknown metric source type "${spec.type}"`;
      throw new MetricError(msg, unable(ctx, 'InvalidMetricSourceType', msg));
    }
  }
}

export async function computeReplicasForMetrics(
  ctx: MetricsContext,
  specs: readonly MetricSpec[],
): Promise<MetricsResult> {
  // A failed metric leaves its zero-value MetricStatus ({type: ""}) in place, as upstream.
  const statuses: MetricStatus[] = specs.map(() => ({ type: '' }));
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let firstError: MetricError | undefined;
  for (const [i, spec] of specs.entries()) {
    try {
      const p = await metricProposal(ctx, spec);
      statuses[i] = p.status;
      if (replicas === 0 || p.replicas > replicas) {
        replicas = p.replicas;
        metric = p.name;
      }
    } catch (e) {
      if (!(e instanceof MetricError)) throw e;
      firstError ??= e;
      invalid++;
    }
  }
  const error = firstError
    ? `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError.message}`
    : undefined;
  if (firstError && (invalid >= specs.length || replicas < ctx.specReplicas)) {
    return { replicas: -1, metric: '', statuses, ...(error && { error }), condition: firstError.condition };
  }
  return {
    replicas,
    metric,
    statuses,
    ...(error && { error }),
    condition: {
      type: 'ScalingActive',
      status: 'True',
      reason: 'ValidMetricFound',
      message: `the HPA was able to successfully calculate a replica count from ${metric}`,
    },
  };
}
