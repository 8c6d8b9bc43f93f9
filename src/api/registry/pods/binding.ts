/**
 * pods/binding, as upstream's BindingREST.assignPod (pure; the registry writes the result): a
 * pod is bound once, never while being deleted, and binding sets spec.nodeName (which no update
 * may change) with PodScheduled=True.
 */
import { conflict } from '../../errors.js';
import type { KubeObject } from '../../types.js';
import { nowRFC3339 } from '../util.js';

interface BindablePod extends KubeObject {
  spec: { nodeName?: string };
  status?: {
    conditions?: { type: string; status: string; lastProbeTime?: null; lastTransitionTime?: string }[];
  };
}

const PODS = { group: '', resource: 'pods' };

export function assignPod(stored: KubeObject, nodeName: string, now: Date): KubeObject {
  const pod = structuredClone(stored) as BindablePod;
  const name = pod.metadata.name ?? '';
  if (pod.metadata.deletionTimestamp) {
    throw conflict(PODS, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  }
  if (pod.spec.nodeName) {
    throw conflict(PODS, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  }
  pod.spec.nodeName = nodeName;
  pod.status ??= {};
  const conditions = (pod.status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  conditions.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: nowRFC3339(now),
  });
  pod.status.conditions = conditions;
  return pod;
}
