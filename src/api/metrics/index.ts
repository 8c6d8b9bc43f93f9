/**
 * metrics.k8s.io for the API server, assembled from the node's sources.
 *
 * Wiring (engine.ts):
 *   const metrics = createMetricsApi({
 *     stats: runtime,                                   // ContainerStatsManager
 *     containersOf: (pod) => kubelet.runningContainers(pod),
 *     listPods: (ns, sel) => registry.list('pods', { namespace: ns, labelSelector: sel }),
 *     getPod: (ns, name) => registry.mustGet('pods', ns, name).object,
 *     listNodes: (sel) => registry.list('nodes', { labelSelector: sel }),
 *     clock,
 *   });
 *   new ApiServer({ ..., extraResources: metrics.resources, extraRoutes: metrics.routes });
 */
import { type CgroupMetricsDeps, CgroupPodMetricsSource } from './cgroup-source.js';
import { METRICS_RESOURCES, type MetricsApiDeps, metricsRoutes } from './metrics-api.js';
import { ProcNodeMetricsSource } from './node-usage.js';

export type { RunningContainerRef } from './cgroup-source.js';
export type { NodeMetricsSource, PodMetricsSource } from './source.js';

export type MetricsApiOptions = CgroupMetricsDeps & Omit<MetricsApiDeps, 'pods' | 'node'>;

export function createMetricsApi(o: MetricsApiOptions) {
  return {
    resources: METRICS_RESOURCES,
    routes: metricsRoutes({
      pods: new CgroupPodMetricsSource(o),
      node: new ProcNodeMetricsSource(o.rate),
      listPods: o.listPods,
      getPod: o.getPod,
      listNodes: o.listNodes,
      clock: o.clock,
    }),
  };
}
