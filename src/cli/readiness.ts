/**
 * Pure readiness arithmetic for `podbay up` and `podbay status`: per namespace, how many pods are
 * Ready out of how many are expected, and whether the namespace is settled. Tested with tables.
 *
 * A namespace is settled when every live pod is Ready and every Deployment has all its replicas
 * updated and ready. Deployments count because right after `apply` their pods may not exist
 * yet: "0 pods, all Ready" must not pass. Pods that completed (Succeeded) or are terminating do
 * not count.
 */
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';

export interface NamespaceReadiness {
  namespace: string;
  ready: number;
  total: number;
  settled: boolean;
}

export function podIsReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** Pods that should become Ready: not being deleted, not finished. */
export function livePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(
    (p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
}

function deploymentSettled(d: Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.readyReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want
  );
}

export function namespaceReadiness(
  namespace: string,
  pods: readonly Pod[],
  deployments: readonly Deployment[],
): NamespaceReadiness {
  const live = livePods(pods);
  const ready = live.filter(podIsReady).length;
  // Pods a Deployment still has to create count as not Ready yet.
  const wanted = deployments.reduce((n, d) => n + (d.spec?.replicas ?? 1), 0);
  const owned = live.filter((p) => p.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet')).length;
  const total = live.length + Math.max(0, wanted - owned);
  const settled = ready === total && deployments.every(deploymentSettled);
  return { namespace, ready, total, settled };
}

/** `database 4/4 ready · development 5/8 ready` */
export function formatReadiness(all: readonly NamespaceReadiness[]): string {
  return all.map((r) => `${r.namespace} ${r.ready}/${r.total} ready`).join(' · ');
}
