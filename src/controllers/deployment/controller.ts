/**
 * The Deployment controller, as kube-controller-manager's deployment controller. One sync:
 *  1. a selector selecting everything is refused (Warning SelectingAll);
 *  2. claim the ReplicaSets the selector matches (adopt orphans, release non-matching);
 *  3. a deployment being deleted only gets its status refreshed;
 *  4. record pause/resume in the Progressing condition;
 *  5. paused, or a change of size only (an RS's desired-replicas differs): scale and sync
 *     status (paused deployments also clean up history);
 *  6. otherwise roll out by strategy (rollout.ts).
 * Events come from component `deployment-controller`.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { selectorFromLabelSelector } from '../../api/selectors/label-selector.js';
import type { WatchEvent } from '../../api/types.js';
import { QueueController, type WatchSpec } from '../runtime/queue-controller.js';
import { objectKey, splitKey } from '../runtime/work-queue.js';
import { claimObjects } from '../util/claim.js';
import { controllerKeyOfKind, controllerOf, keyOf } from '../util/owners.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { cleanupDeployment } from './cleanup.js';
import { getCondition, newCondition, REASON, setCondition } from './conditions.js';
import { COMPONENT, persistDeployment, type SyncContext } from './context.js';
import { desiredReplicas } from './intstr.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { type Dep, desiredAnnotation, filterActive, type RS } from './replica-sets.js';
import { rolloutRecreate, rolloutRolling } from './rollout.js';
import { scale } from './scaling.js';
import { hasProgressDeadline } from './status.js';
import { syncDeploymentStatus } from './sync-status.js';

export class DeploymentController extends QueueController {
  readonly name = 'deployment';

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'deployments', keysFor: (ev) => [keyOf(ev.object)] },
      { resource: 'replicasets', keysFor: (ev) => this.#keysForReplicaSet(ev) },
      {
        // Recreate waits for old pods to be gone; a deleted pod may unblock it.
        resource: 'pods',
        keysFor: (ev) => {
          if (ev.type !== 'DELETED') return [];
          const rsKey = controllerKeyOfKind(ev.object, 'ReplicaSet');
          if (!rsKey) return [];
          const [ns, name] = splitKey(rsKey);
          const rs = this.deps.client.get<RS>('replicasets', ns, name);
          const d = rs && controllerKeyOfKind(rs, 'Deployment');
          return d ? [d] : [];
        },
      },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.list('deployments').map(keyOf);
  }

  #keysForReplicaSet(ev: WatchEvent): readonly string[] {
    const owner = controllerKeyOfKind(ev.object, 'Deployment');
    if (owner) return [owner];
    if (controllerOf(ev.object) || ev.type === 'DELETED') return [];
    return this.deps.client
      .list<Dep>('deployments', { namespace: ev.object.metadata.namespace })
      .filter((d) => selectorOf(d).matches(ev.object.metadata.labels))
      .map(keyOf);
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client, events, clock } = this.deps;
    const d = client.get<Dep>('deployments', namespace, name);
    if (!d) return;
    const ctx: SyncContext = {
      client,
      events,
      now: clock.now(),
      d,
      requeueAfter: (ms) => this.queue.addAfter(key, ms),
    };
    if (semanticEqual(d.spec?.selector, {}) && d.spec?.selector) {
      events.event(
        d,
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
        COMPONENT,
      );
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        client.updateStatus('deployments', {
          ...d,
          status: { ...(d.status ?? {}), observedGeneration: d.metadata.generation },
        });
      }
      return;
    }
    const selector = selectorOf(d);
    const rsList = claimObjects(
      client,
      'replicasets',
      d,
      client.list<RS>('replicasets', { namespace }),
      (rs) => selector.matches(rs.metadata.labels),
    );
    if (d.metadata.deletionTimestamp) {
      const [newRS, oldRSs] = getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
      syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS);
      return;
    }
    checkPausedConditions(ctx);
    if (ctx.d.spec?.paused || isScalingEvent(ctx, rsList)) this.#syncScale(ctx, rsList);
    else if (ctx.d.spec?.strategy?.type === 'Recreate') {
      rolloutRecreate(ctx, rsList, this.#podsByRS(namespace, rsList, selector));
    } else rolloutRolling(ctx, rsList);
  }

  /** upstream's sync(): scaling and status only, no rollout. */
  #syncScale(ctx: SyncContext, rsList: RS[]): void {
    const [newRS, oldRSs] = getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
    scale(ctx, newRS, oldRSs);
    // Re-read: scale() wrote ReplicaSets, and status sums their specs.
    const fresh = (rs: RS): RS =>
      ctx.client.get<RS>('replicasets', rs.metadata.namespace!, rs.metadata.name!) ?? rs;
    const freshNew = newRS && fresh(newRS);
    const freshOld = oldRSs.map(fresh);
    if (ctx.d.spec?.paused) cleanupDeployment(ctx, freshOld);
    syncDeploymentStatus(ctx, [...freshOld, freshNew], freshNew);
  }

  /** Pods the deployment selects, grouped by the uid of their controlling RS (for Recreate). */
  #podsByRS(namespace: string, rsList: RS[], selector: ReturnType<typeof selectorOf>): Map<string, Pod[]> {
    const byUid = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata.uid!, []]));
    for (const pod of this.deps.client.list<Pod & WatchEvent['object']>('pods', { namespace })) {
      if (!selector.matches(pod.metadata.labels)) continue;
      const uid = controllerOf(pod)?.uid;
      if (uid && byUid.has(uid)) byUid.get(uid)!.push(pod);
    }
    return byUid;
  }
}

function selectorOf(d: Dep) {
  try {
    return selectorFromLabelSelector(d.spec?.selector);
  } catch {
    return selectorFromLabelSelector(undefined);
  }
}

/** isScalingEvent: an active RS was sized for a different deployment size. */
function isScalingEvent(ctx: SyncContext, rsList: RS[]): boolean {
  const [newRS, oldRSs] = getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
  const want = desiredReplicas(ctx.d);
  return filterActive([...oldRSs, newRS]).some((rs) => {
    const desired = desiredAnnotation(rs);
    return desired !== undefined && desired !== want;
  });
}

/** Paused/resumed are recorded as an Unknown Progressing condition, unless it timed out. */
function checkPausedConditions(ctx: SyncContext): void {
  const d = ctx.d;
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === REASON.timedOut) return;
  const pausedCondExists = cond?.reason === REASON.paused;
  d.status ??= {};
  if (d.spec?.paused && !pausedCondExists) {
    setCondition(
      d.status,
      newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', ctx.now),
    );
  } else if (!d.spec?.paused && pausedCondExists) {
    setCondition(
      d.status,
      newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', ctx.now),
    );
  } else return;
  persistDeployment(ctx, { status: true });
}

export const deploymentKey = (d: Dep): string => objectKey(d.metadata.namespace, d.metadata.name!);
