/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it (pkg/api/{pod,node}.go): PodMetrics and
 * NodeMetrics, list and get, read-only. Plugged into the API server through `extraResources`
 * (discovery) and `extraRoutes` (requests), after authentication.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { methodNotAllowed, notFound } from '../errors.js';
import { sendJSON } from '../http/respond.js';
import type { ResourceInfo } from '../types.js';
import type { NodeMetricsSource, PodMetricsSource, PodUsage, Usage } from './source.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;
const PREFIX = `/apis/${API_VERSION}/`;

export const METRICS_RESOURCES: readonly ResourceInfo[] = [
  {
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    resource: 'pods',
    singular: '',
    kind: 'PodMetrics',
    listKind: 'PodMetricsList',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ['get', 'list'],
  },
  {
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    resource: 'nodes',
    singular: '',
    kind: 'NodeMetrics',
    listKind: 'NodeMetricsList',
    namespaced: false,
    shortNames: [],
    categories: [],
    verbs: ['get', 'list'],
  },
];

export interface MetricsApiDeps {
  pods: PodMetricsSource;
  node: NodeMetricsSource;
  /** Pods from the API; namespace '' means all namespaces. */
  listPods(namespace: string, labelSelector?: string): Pod[];
  /** Throws the API's NotFound for a missing pod. */
  getPod(namespace: string, name: string): Pod;
  listNodes(labelSelector?: string): Node[];
  clock: { now(): Date };
}

/** Quantities as metrics-server writes them: CPU in nanocores, memory in Ki when whole. */
export function usageQuantities(u: Usage): { cpu: string; memory: string } {
  const bytes = Math.max(0, Math.round(u.memoryWorkingSetBytes));
  return {
    cpu: `${Math.max(0, Math.round(u.cpuNanoCores))}n`,
    memory: bytes % 1024 === 0 ? `${bytes / 1024}Ki` : String(bytes),
  };
}

/** A Go duration string (time.Duration.String) for a window in seconds. */
export function formatWindow(seconds: number): string {
  if (seconds >= 1) return `${Number(seconds.toFixed(3))}s`;
  return `${Math.round(seconds * 1000)}ms`;
}

function podMetrics(pod: Pod, usage: PodUsage, now: Date) {
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: {
      name: pod.metadata?.name,
      namespace: pod.metadata?.namespace,
      creationTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      ...(pod.metadata?.labels ? { labels: pod.metadata.labels } : {}),
    },
    timestamp: usage.timestamp.toISOString().replace(/\.\d+Z$/, 'Z'),
    window: formatWindow(usage.windowSeconds),
    containers: usage.containers.map((c) => ({ name: c.name, usage: usageQuantities(c) })),
  };
}

/** Returns true when it answered the request (a metrics.k8s.io resource path). */
export function metricsRoutes(deps: MetricsApiDeps) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith(PREFIX)) return false;
    const seg = url.pathname.slice(PREFIX.length).replace(/\/+$/, '').split('/');
    const selector = url.searchParams.get('labelSelector') ?? undefined;
    let target: { kind: 'pods'; namespace: string; name?: string } | { kind: 'nodes'; name?: string };
    if (seg[0] === 'namespaces' && seg[1] && seg[2] === 'pods' && seg.length <= 4) {
      target = { kind: 'pods', namespace: seg[1], ...(seg[3] ? { name: seg[3] } : {}) };
    } else if (seg[0] === 'pods' && seg.length === 1) {
      target = { kind: 'pods', namespace: '' };
    } else if (seg[0] === 'nodes' && seg.length <= 2) {
      target = { kind: 'nodes', ...(seg[1] ? { name: seg[1] } : {}) };
    } else {
      return false; // discovery (/apis/metrics.k8s.io/v1beta1) and unknown paths: the server's 404
    }
    if (req.method !== 'GET')
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    if (target.kind === 'pods') await servePods(deps, res, target.namespace, target.name, selector);
    else await serveNodes(deps, res, target.name, selector);
    return true;
  };
}

async function servePods(
  deps: MetricsApiDeps,
  res: ServerResponse,
  namespace: string,
  name: string | undefined,
  selector?: string,
) {
  const now = deps.clock.now();
  if (name) {
    const pod = deps.getPod(namespace, name);
    const [usage] = await deps.pods.podsUsage([pod]);
    if (!usage) throw notFound({ group: METRICS_GROUP, resource: 'podmetrics' }, name);
    return sendJSON(res, 200, podMetrics(pod, usage, now));
  }
  const pods = deps.listPods(namespace, selector);
  const usages = await deps.pods.podsUsage(pods);
  const items = pods.flatMap((pod, i) => {
    const usage = usages[i];
    return usage ? [podMetrics(pod, usage, now)] : [];
  });
  sendJSON(res, 200, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
}

async function serveNodes(
  deps: MetricsApiDeps,
  res: ServerResponse,
  name: string | undefined,
  selector?: string,
) {
  const nodes = deps.listNodes(name ? undefined : selector).filter((n) => !name || n.metadata?.name === name);
  if (name && nodes.length === 0) throw notFound({ group: METRICS_GROUP, resource: 'nodemetrics' }, name);
  // One machine: every Node object this server lists is this machine.
  const usage = await deps.node.nodeUsage();
  const now = deps.clock.now();
  const items = nodes.map((n) => ({
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: {
      name: n.metadata?.name,
      creationTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      ...(n.metadata?.labels ? { labels: n.metadata.labels } : {}),
    },
    timestamp: usage.timestamp.toISOString().replace(/\.\d+Z$/, 'Z'),
    window: formatWindow(usage.windowSeconds),
    usage: usageQuantities(usage),
  }));
  if (name) return sendJSON(res, 200, items[0]);
  sendJSON(res, 200, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items });
}
