/**
 * Revision history cleanup, as upstream's cleanupDeployment: keep at most
 * revisionHistoryLimit old ReplicaSets, deleting the lowest revisions first, and only those
 * fully scaled down, with no pods left and their status caught up with their spec.
 */
import type { SyncContext } from './context.js';
import { byCreation, type RS, replicasOf, revisionOf } from './replica-sets.js';

export function cleanupDeployment(ctx: SyncContext, oldRSs: readonly RS[]): void {
  const limit = ctx.d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  alive.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of alive.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      ctx.client.delete('replicasets', rs.metadata.namespace!, rs.metadata.name!);
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}
