/**
 * Writing deployment status: syncRolloutStatus (with the Progressing estimate, used by
 * rollouts) and syncDeploymentStatus (counts and Available only, used by scaling and paused
 * syncs). Both skip the write when nothing changed; a deployment still progressing is
 * requeued for when its progress deadline would pass.
 */

import { semanticEqual } from '../util/semantic-equal.js';
import type { SyncContext } from './context.js';
import type { RS } from './replica-sets.js';
import { calculateStatus, msUntilDeadline, rolloutStatus } from './status.js';

export function syncRolloutStatus(
  ctx: SyncContext,
  all: readonly (RS | undefined)[],
  newRS: RS | undefined,
): void {
  const status = rolloutStatus(all, newRS, ctx.d, ctx.now);
  if (!semanticEqual(ctx.d.status, status))
    ctx.d = ctx.client.updateStatus('deployments', { ...ctx.d, status });
  const wait = msUntilDeadline(ctx.d, status, ctx.now);
  if (wait !== undefined) ctx.requeueAfter(wait);
}

export function syncDeploymentStatus(
  ctx: SyncContext,
  all: readonly (RS | undefined)[],
  newRS: RS | undefined,
): void {
  const status = calculateStatus(all, newRS, ctx.d, ctx.now);
  if (!semanticEqual(ctx.d.status, status))
    ctx.d = ctx.client.updateStatus('deployments', { ...ctx.d, status });
}
