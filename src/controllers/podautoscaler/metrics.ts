/**
 * The HPA's resource metrics client (upstream's metrics/client.go resourceMetricsClient): the
 * usage of the pods a selector picks, from the node's metrics source — the same one metrics.k8s.io
 * serves `kubectl top` from — summed per pod in milli-units (CPU millicores rounded up, memory
 * milli-bytes), as Quantity.MilliValue(). Custom and external metrics APIs are not served, so those
 * answer with the errors upstream's clients give when the API is not registered.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodMetricsSource, PodUsage } from '../../api/metrics/source.js';
import type { PodMetrics } from './replica-calculator.js';

export class MetricsError extends Error {}

/** What the resource metrics API answers when it is not served (an API-only engine runs no node). */
const NO_METRICS_API =
  'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
/** custom_metrics/discovery.go, when no adapter registers custom.metrics.k8s.io. */
export const NO_CUSTOM_METRICS_API =
  'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
/** The external metrics API, when nothing serves external.metrics.k8s.io. */
export const noExternalMetric = (name: string): string =>
  `unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${name}.external.metrics.k8s.io)`;

function usageOf(u: PodUsage, resource: string, container: string): number | undefined {
  let sum = 0;
  let found = false;
  for (const c of u.containers) {
    if (container !== '' && c.name !== container) continue;
    found = true;
    if (resource === 'cpu') sum += Math.ceil(c.cpuNanoCores / 1e6);
    else if (resource === 'memory') sum += c.memoryWorkingSetBytes * 1000;
    else return undefined;
  }
  return found ? sum : undefined;
}

/** GetResourceMetric over `pods` (already selected by the target's selector). */
export async function getResourceMetric(
  source: PodMetricsSource | undefined,
  pods: readonly Pod[],
  resource: string,
  container: string,
): Promise<{ metrics: PodMetrics; timestamp: Date }> {
  if (!source) throw new MetricsError(NO_METRICS_API);
  const usage = pods.length === 0 ? [] : await source.podsUsage(pods);
  const metrics: PodMetrics = new Map();
  let timestamp: Date | undefined;
  usage.forEach((u, i) => {
    if (!u) return;
    timestamp ??= u.timestamp;
    const value = usageOf(u, resource, container);
    // A pod without a sample for this resource (or container) has no metric: it counts as missing.
    if (value !== undefined)
      metrics.set(pods[i]!.metadata?.name ?? '', {
        value,
        timestamp: u.timestamp,
        windowMs: u.windowSeconds * 1000,
      });
  });
  if (timestamp === undefined) throw new MetricsError('no metrics returned from resource metrics API');
  return { metrics, timestamp };
}
