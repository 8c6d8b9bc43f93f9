/**
 * A pod's QoS class, as upstream's GetPodQOS (pkg/apis/core/helper/qos): computed once at
 * create and stored in status.qosClass, where describe shows it and the kubelet reads it.
 *   Guaranteed: every container sets cpu and memory limits, and requests equal limits;
 *   BestEffort: no container sets any cpu or memory request or limit;
 *   Burstable:  everything else.
 * Init containers count, as upstream.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { compareQuantities, parseQuantity } from '../../quantity.js';

const TRACKED = ['cpu', 'memory'] as const;

export function podQOSClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers: Container[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = (c.resources?.requests ?? {}) as Record<string, string>;
    const lim = (c.resources?.limits ?? {}) as Record<string, string>;
    for (const r of TRACKED) {
      const hasReq = req[r] !== undefined && !isZero(req[r]!);
      const hasLim = lim[r] !== undefined && !isZero(lim[r]!);
      if (hasReq || hasLim) any = true;
      if (!hasLim) guaranteed = false;
      else if (hasReq && compareQuantities(parseQuantity(req[r]!), parseQuantity(lim[r]!)) !== 0)
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function isZero(q: string): boolean {
  try {
    return compareQuantities(parseQuantity(q), parseQuantity('0')) === 0;
  } catch {
    return false;
  }
}
