/**
 * How many pods a PodDisruptionBudget expects and how many must stay healthy, as the disruption
 * controller's getExpectedPodCount / getExpectedScale (pkg/controller/disruption/disruption.go):
 *  - an integer minAvailable: expected = the selected pods, desired = minAvailable;
 *  - a percentage minAvailable, or any maxUnavailable: expected = the sum of the scales of the
 *    pods' controllers (a ReplicaSet's Deployment when it has one, a StatefulSet, or any kind
 *    served with a /scale subresource), the percentage rounded up against it.
 * A selected pod without a controller is "unmanaged" (an event, not an error); a controller that
 * cannot be found is an error (the budget then fails safe).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { SUBRESOURCES } from '../../api/discovery.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ObjectClient } from '../client.js';
import { scaledValue } from '../deployment/intstr.js';
import { controllerOf } from '../util/owners.js';

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

interface Scaled extends KubeObject {
  spec?: { replicas?: number };
}

const groupOf = (apiVersion: string | undefined): string =>
  apiVersion?.includes('/') ? apiVersion.split('/')[0]! : '';

/** The controller's uid and scale, or undefined when this finder does not apply or finds nothing. */
type Finder = (
  client: ObjectClient,
  ref: OwnerReference,
  namespace: string,
) => { uid: string; scale: number } | undefined;

const replicasOf = (o: Scaled): number => o.spec?.replicas ?? 1;

/** verifyGroupKind. */
const isKind = (ref: OwnerReference, kind: string, groups: readonly string[]): boolean =>
  ref.kind === kind && groups.includes(groupOf(ref.apiVersion));

/** getPodDeployment: a ReplicaSet owned by a Deployment counts as the Deployment. */
const deploymentFinder: Finder = (client, ref, ns) => {
  if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
  const rs = client.get<Scaled>('replicasets', ns, ref.name);
  if (!rs || rs.metadata.uid !== ref.uid) return undefined;
  const owner = controllerOf(rs);
  if (!owner || !isKind(owner, 'Deployment', ['apps', 'extensions'])) return undefined;
  const d = client.get<Scaled>('deployments', ns, owner.name);
  if (!d || d.metadata.uid !== owner.uid) return undefined;
  return { uid: d.metadata.uid!, scale: replicasOf(d) };
};

/** getPodReplicaSet: a ReplicaSet a Deployment controls is left to deploymentFinder. */
const replicaSetFinder: Finder = (client, ref, ns) => {
  if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
  const rs = client.get<Scaled>('replicasets', ns, ref.name);
  if (!rs || rs.metadata.uid !== ref.uid) return undefined;
  if (controllerOf(rs)?.kind === 'Deployment') return undefined;
  return { uid: rs.metadata.uid!, scale: replicasOf(rs) };
};

const statefulSetFinder: Finder = (client, ref, ns) => {
  if (!isKind(ref, 'StatefulSet', ['apps'])) return undefined;
  const ss = client.get<Scaled>('statefulsets', ns, ref.name);
  if (!ss || ss.metadata.uid !== ref.uid) return undefined;
  return { uid: ss.metadata.uid!, scale: replicasOf(ss) };
};

/** getScaleController: any served kind with a /scale subresource, read through its spec.replicas. */
const scaleFinder: Finder = (client, ref, ns) => {
  const group = groupOf(ref.apiVersion);
  const served = client.resources().find((r) => r.kind === ref.kind && r.group === group);
  if (!served || !SUBRESOURCES[served.resource]?.some((s) => s.name === 'scale')) return undefined;
  const o = client.get<Scaled>(served.resource, served.namespaced ? ns : '', ref.name);
  if (!o || o.metadata.uid !== ref.uid) return undefined;
  return { uid: o.metadata.uid!, scale: replicasOf(o) };
};

// ReplicationControllers are not served: their pods fall through to the scale finder and fail.
const FINDERS: readonly Finder[] = [deploymentFinder, replicaSetFinder, statefulSetFinder, scaleFinder];

/** getExpectedScale. Throws when a pod's controller is not found. */
export function expectedScale(
  client: ObjectClient,
  pods: readonly Pod[],
): { expected: number; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod as KubeObject);
    if (!ref) {
      unmanaged.push(pod.metadata?.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    let found = false;
    for (const finder of FINDERS) {
      const cs = finder(client, ref, pod.metadata?.namespace ?? '');
      if (cs) {
        scales.set(cs.uid, cs.scale);
        found = true;
        break;
      }
    }
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata?.name ?? ''}"`);
  }
  let expected = 0;
  for (const n of scales.values()) expected += n;
  return { expected, unmanaged };
}

/** getExpectedPodCount. */
export function expectedPodCount(
  client: ObjectClient,
  pdb: PodDisruptionBudget,
  pods: readonly Pod[],
): ExpectedCount {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined) {
    const { expected, unmanaged } = expectedScale(client, pods);
    const maxUnavailable = scaledValue(spec.maxUnavailable, expected, true);
    return {
      expectedCount: expected,
      desiredHealthy: Math.max(0, expected - maxUnavailable),
      unmanagedPods: unmanaged,
    };
  }
  if (spec.minAvailable !== undefined) {
    if (typeof spec.minAvailable === 'number')
      return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { expected, unmanaged } = expectedScale(client, pods);
    return {
      expectedCount: expected,
      desiredHealthy: scaledValue(spec.minAvailable, expected, true),
      unmanagedPods: unmanaged,
    };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}
