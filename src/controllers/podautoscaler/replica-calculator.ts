/**
 * The replica count a resource metric asks for, as upstream's
 * pkg/controller/podautoscaler/replica_calculator.go (1.32): pods are grouped into ready, unready
 * (pending, or for CPU not yet ready / still in the initialization period), missing (no metric) and
 * ignored (deleted or failed); a change within the tolerance (10%) is no change; on a scale-up,
 * unready and missing pods count as using nothing, on a scale-down missing pods count as using
 * their request (or the target, if higher); a result that flips the direction is no change.
 *
 * Pure: the caller passes the pods, their metrics (milli-units: millicores, milli-bytes, as
 * Quantity.MilliValue()) and the time.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { quantityMillis, tryParseQuantity } from '../../api/quantity.js';

export interface PodMetric {
  /** Usage in milli-units (MilliValue of the summed container usage). */
  value: number;
  timestamp: Date;
  windowMs: number;
}

/** Pod name → its metric, as upstream's PodMetricsInfo. */
export type PodMetrics = Map<string, PodMetric>;

export interface CalculatorOptions {
  /** --horizontal-pod-autoscaler-tolerance (0.1). */
  tolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (5 min). */
  cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (30 s). */
  delayOfInitialReadinessStatusMs: number;
}

export const DEFAULT_CALCULATOR_OPTIONS: CalculatorOptions = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  delayOfInitialReadinessStatusMs: 30_000,
};

export class ReplicaCalculationError extends Error {}

interface Grouped {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** groupPods. */
export function groupPods(
  pods: readonly Pod[],
  metrics: PodMetrics,
  resource: string,
  o: CalculatorOptions,
  now: Date,
): Grouped {
  const g: Grouped = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      let unready: boolean;
      if (!ready || start === undefined) {
        unready = true;
      } else {
        const transition = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
        if (start + o.cpuInitializationPeriodMs > now.getTime()) {
          // Within the initialization period: unready, or no full metric window since it became ready.
          unready = ready.status === 'False' || metric.timestamp.getTime() < transition + metric.windowMs;
        } else {
          // Unready and never ready since it started.
          unready = ready.status === 'False' && start + o.delayOfInitialReadinessStatusMs > transition;
        }
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** calculatePodRequests: the request of each pod (regular and sidecar containers), in milli-units. */
export function calculatePodRequests(
  pods: readonly Pod[],
  container: string,
  resource: string,
): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    const containers: Container[] = [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
    ];
    for (const c of containers) {
      if (container !== '' && container !== c.name) continue;
      const req = c.resources?.requests?.[resource];
      const q = req === undefined ? undefined : tryParseQuantity(req);
      if (q === undefined || q instanceof Error)
        throw new ReplicaCalculationError(
          `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`,
        );
      sum += Number(quantityMillis(q));
    }
    requests.set(pod.metadata?.name ?? '', sum);
  }
  return requests;
}

/** metricsclient.GetResourceUtilizationRatio. */
export function getResourceUtilizationRatio(
  metrics: PodMetrics,
  requests: Map<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, m] of metrics) {
    const request = requests.get(name);
    // Metrics of pods without a known request are extraneous.
    if (request === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new ReplicaCalculationError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return {
    ratio: utilization / targetUtilization,
    utilization,
    rawAverage: Math.trunc(metricsTotal / entries),
  };
}

/** metricsclient.GetMetricUsageRatio. */
export function getMetricUsageRatio(
  metrics: PodMetrics,
  targetUsage: number,
): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}

function dropMetrics(metrics: PodMetrics, names: Set<string>): void {
  for (const n of names) metrics.delete(n);
}

export interface UtilizationProposal {
  replicas: number;
  /** Percentage of the request. */
  utilization: number;
  /** Average usage per pod, milli-units. */
  rawAverage: number;
}

/** ReplicaCalculator.GetResourceReplicas (a Utilization target). `metrics` is consumed. */
export function getResourceReplicas(p: {
  currentReplicas: number;
  targetUtilization: number;
  resource: string;
  container?: string;
  pods: readonly Pod[];
  metrics: PodMetrics;
  now: Date;
  options?: CalculatorOptions;
}): UtilizationProposal {
  const o = p.options ?? DEFAULT_CALCULATOR_OPTIONS;
  const { metrics } = p;
  if (p.pods.length === 0)
    throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  const g = groupPods(p.pods, metrics, p.resource, o, p.now);
  dropMetrics(metrics, g.ignored);
  dropMetrics(metrics, g.unready);
  if (metrics.size === 0)
    throw new ReplicaCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = calculatePodRequests(p.pods, p.container ?? '', p.resource);
  const { ratio, utilization, rawAverage } = getResourceUtilizationRatio(
    metrics,
    requests,
    p.targetUtilization,
  );
  const same = { replicas: p.currentReplicas, utilization, rawAverage };

  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1.0 - ratio) <= o.tolerance) return same;
    return { replicas: Math.ceil(ratio * g.readyPodCount), utilization, rawAverage };
  }
  if (g.missing.size > 0) {
    if (ratio < 1.0) {
      // Scale-down: missing pods use their whole request (or the target, when above 100%).
      const fallback = Math.max(100, p.targetUtilization);
      for (const n of g.missing)
        metrics.set(n, {
          value: Math.trunc(((requests.get(n) ?? 0) * fallback) / 100),
          timestamp: p.now,
          windowMs: 0,
        });
    } else if (ratio > 1.0) {
      for (const n of g.missing) metrics.set(n, { value: 0, timestamp: p.now, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready)
    for (const n of g.unready) metrics.set(n, { value: 0, timestamp: p.now, windowMs: 0 });

  const next = getResourceUtilizationRatio(metrics, requests, p.targetUtilization).ratio;
  if (Math.abs(1.0 - next) <= o.tolerance || (ratio < 1.0 && next > 1.0) || (ratio > 1.0 && next < 1.0))
    return same;
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1.0 && replicas > p.currentReplicas) || (next > 1.0 && replicas < p.currentReplicas))
    return same;
  return { replicas, utilization, rawAverage };
}

/** ReplicaCalculator.GetRawResourceReplicas / calcPlainMetricReplicas (an AverageValue target). */
export function getRawResourceReplicas(p: {
  currentReplicas: number;
  /** milli-units */
  targetUsage: number;
  resource: string;
  pods: readonly Pod[];
  metrics: PodMetrics;
  now: Date;
  options?: CalculatorOptions;
}): { replicas: number; usage: number } {
  const o = p.options ?? DEFAULT_CALCULATOR_OPTIONS;
  const { metrics } = p;
  if (p.pods.length === 0)
    throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  const g = groupPods(p.pods, metrics, p.resource, o, p.now);
  dropMetrics(metrics, g.ignored);
  dropMetrics(metrics, g.unready);
  if (metrics.size === 0)
    throw new ReplicaCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = getMetricUsageRatio(metrics, p.targetUsage);
  const same = { replicas: p.currentReplicas, usage };
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1.0 - ratio) <= o.tolerance) return same;
    return { replicas: Math.ceil(ratio * g.readyPodCount), usage };
  }
  if (g.missing.size > 0) {
    // Scale-down: missing pods use exactly the target; scale-up: nothing.
    const value = ratio < 1.0 ? p.targetUsage : 0;
    for (const n of g.missing) metrics.set(n, { value, timestamp: p.now, windowMs: 0 });
  }
  if (scaleUpWithUnready)
    for (const n of g.unready) metrics.set(n, { value: 0, timestamp: p.now, windowMs: 0 });
  const next = getMetricUsageRatio(metrics, p.targetUsage).ratio;
  if (Math.abs(1.0 - next) <= o.tolerance || (ratio < 1.0 && next > 1.0) || (ratio > 1.0 && next < 1.0))
    return same;
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1.0 && replicas > p.currentReplicas) || (next > 1.0 && replicas < p.currentReplicas))
    return same;
  return { replicas, usage };
}
