/**
 * A pod's effective requests and limits over every resource name, as k8s.io/component-helpers
 * resource.PodRequests / PodLimits (1.32, with native sidecars):
 *   - app containers and restartable init containers (sidecars) run together: their sum;
 *   - an ordinary init container runs beside the sidecars declared before it: the pod needs at
 *     least the max over init containers of (its own + earlier sidecars');
 *   - the effective value is the larger of the two, per resource; spec.overhead is added to
 *     requests, and to limits that are set (PodLimits adds it only where a limit exists).
 * Quota counts overhead; LimitRanger's Pod limits do not (its podRequests/podLimits leave it out).
 * The scheduler keeps its own cpu/memory-only version (src/scheduler/requests.ts).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { add, max, parseList, type ResourceList } from './resources.js';

type Which = 'requests' | 'limits';

const listOf = (c: Container, which: Which): ResourceList =>
  parseList(c.resources?.[which] as Record<string, unknown> | undefined);

function aggregate(pod: Pod, which: Which): ResourceList {
  let total: ResourceList = new Map();
  for (const c of pod.spec?.containers ?? []) total = add(total, listOf(c, which));
  let sidecars: ResourceList = new Map();
  let initPeak: ResourceList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = listOf(c, which);
    if (c.restartPolicy === 'Always') {
      total = add(total, own);
      sidecars = add(sidecars, own);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(own, sidecars));
    }
  }
  return max(total, initPeak);
}

export function podRequests(pod: Pod, opts: { overhead: boolean }): ResourceList {
  const reqs = aggregate(pod, 'requests');
  if (!opts.overhead || !pod.spec?.overhead) return reqs;
  return add(reqs, parseList(pod.spec.overhead as Record<string, unknown>));
}

export function podLimits(pod: Pod, opts: { overhead: boolean }): ResourceList {
  const limits = aggregate(pod, 'limits');
  if (!opts.overhead || !pod.spec?.overhead) return limits;
  const overhead = parseList(pod.spec.overhead as Record<string, unknown>);
  return add(limits, new Map([...overhead].filter(([name]) => limits.has(name))));
}
