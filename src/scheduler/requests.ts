/**
 * A pod's effective resource requests, as the scheduler counts them (k8s.io/component-helpers
 * resource.PodRequests, 1.32 with native sidecars):
 *   - app containers and restartable init containers (sidecars) run together: their sum;
 *   - each ordinary init container runs alone, beside the sidecars started before it: the
 *     pod needs at least max over init containers of (its request + earlier sidecars);
 *   - the effective request is the larger of the two, plus spec.overhead.
 * Quantities are kept in integer millis (cpu) and bytes (memory) so sums are exact.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { parseQuantity, quantityMillis, quantityValue } from '../api/quantity.js';

export interface Requests {
  /** millicores */
  cpu: bigint;
  /** bytes */
  memory: bigint;
}

const ZERO: Requests = { cpu: 0n, memory: 0n };

function read(rl: Record<string, string | number> | undefined): Requests {
  const cpu = rl?.cpu;
  const memory = rl?.memory;
  return {
    cpu: cpu === undefined ? 0n : quantityMillis(parseQuantity(cpu)),
    memory: memory === undefined ? 0n : quantityValue(parseQuantity(memory)),
  };
}

const add = (a: Requests, b: Requests): Requests => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory });
// Math.max does not take bigints, hence the comparisons.
const bigMax = (x: bigint, y: bigint): bigint => (x >= y ? x : y);
const max = (a: Requests, b: Requests): Requests => ({
  cpu: bigMax(a.cpu, b.cpu),
  memory: bigMax(a.memory, b.memory),
});

/** A container's requests; limits stand in for missing requests, as API defaulting does. */
export function containerRequests(c: Container): Requests {
  const req = c.resources?.requests as Record<string, string> | undefined;
  const lim = c.resources?.limits as Record<string, string> | undefined;
  return read({ ...(lim ?? {}), ...(req ?? {}) });
}

export function podRequests(pod: Pod): Requests {
  let sum = ZERO;
  for (const c of pod.spec?.containers ?? []) sum = add(sum, containerRequests(c));
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      sidecars = add(sidecars, r);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(r, sidecars));
    }
  }
  const overhead = read(pod.spec?.overhead as Record<string, string> | undefined);
  return add(max(add(sum, sidecars), initPeak), overhead);
}

export const sumRequests = (pods: readonly Pod[]): Requests => pods.map(podRequests).reduce(add, ZERO);
