/**
 * Finding or creating a deployment's new ReplicaSet and syncing revisions, as upstream's
 * getAllReplicaSetsAndSyncRevision / getNewReplicaSet:
 *  - an existing new RS gets the deployment's annotations and revision max(old)+1 if lower
 *    (this is how `rollout undo` reuses the old RS: kubectl copied its template back);
 *  - otherwise, when asked, an RS `<deployment>-<hash>` is created with the template copied
 *    verbatim plus the pod-template-hash label (in labels, selector and template), sized by
 *    newRSNewReplicas; an AlreadyExists with a different template is a hash collision that
 *    bumps status.collisionCount.
 */
import { ApiError } from '../../api/errors.js';
import { controllerOf, newControllerRef } from '../util/owners.js';
import { getCondition, newCondition, REASON, setCondition } from './conditions.js';
import { COMPONENT, persistDeployment, type SyncContext } from './context.js';
import { computeHash } from './hash.js';
import { desiredReplicas, scaledValue } from './intstr.js';
import {
  type Dep,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  HASH_LABEL,
  maxRevision,
  type RS,
  replicasOf,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  sumSpecReplicas,
} from './replica-sets.js';
import { hasProgressDeadline } from './status.js';

/** NewRSNewReplicas: how big the new RS may be now. */
export function newRSNewReplicas(d: Dep, allRSs: readonly (RS | undefined)[], newRS: RS): number {
  const want = desiredReplicas(d);
  if ((d.spec?.strategy?.type ?? 'RollingUpdate') === 'Recreate') return want;
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0, want, true);
  const current = sumSpecReplicas(allRSs);
  const maxTotal = want + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, want - replicasOf(newRS));
}

/**
 * Returns [new RS or undefined, old RSs]. `rsList` is the sync's working list: an RS this
 * call rewrites is replaced in it, so later steps of the same sync write with its current
 * resourceVersion instead of hitting a conflict.
 */
export function getAllReplicaSetsAndSyncRevision(
  ctx: SyncContext,
  rsList: RS[],
  createIfMissing: boolean,
): [RS | undefined, RS[]] {
  const existing = findNewReplicaSet(ctx.d, rsList);
  const oldRSs = findOldReplicaSets(rsList, existing);
  const newRS = getNewReplicaSet(ctx, existing, oldRSs, createIfMissing);
  if (newRS && existing && newRS !== existing) rsList[rsList.indexOf(existing)] = newRS;
  return [newRS, oldRSs];
}

function getNewReplicaSet(
  ctx: SyncContext,
  existing: RS | undefined,
  oldRSs: RS[],
  create: boolean,
): RS | undefined {
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) return syncExistingNewRS(ctx, existing, newRevision);
  if (!create) return undefined;
  return createNewRS(ctx, oldRSs, newRevision);
}

function syncExistingNewRS(ctx: SyncContext, existing: RS, newRevision: number): RS {
  const d = ctx.d;
  const copy = structuredClone(existing);
  const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
  const minReady = d.spec?.minReadySeconds ?? 0;
  if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
    copy.spec = { ...copy.spec!, minReadySeconds: minReady };
    // upstream returns here and updates the deployment's revision on the next sync.
    return ctx.client.update<RS>('replicasets', copy);
  }
  const annotationChanged = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_KEY] ?? '');
  let statusChanged = false;
  if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
    d.status ??= {};
    setCondition(
      d.status,
      newCondition(
        'Progressing',
        'True',
        REASON.foundNewRS,
        `Found new replica set "${copy.metadata.name}"`,
        ctx.now,
      ),
    );
    statusChanged = true;
  }
  persistDeployment(ctx, { annotations: annotationChanged, status: statusChanged });
  return copy;
}

const REVISION_KEY = 'deployment.kubernetes.io/revision';

function createNewRS(ctx: SyncContext, oldRSs: RS[], newRevision: number): RS | undefined {
  const d = ctx.d;
  const template = structuredClone(d.spec!.template);
  const hash = computeHash(d.spec!.template, d.status?.collisionCount);
  template.metadata = {
    ...(template.metadata ?? {}),
    labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
  };
  const selector = structuredClone(d.spec!.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  const rs: RS = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d)],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec!.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  let created: RS;
  let alreadyExisted = false;
  try {
    created = ctx.client.create<RS>('replicasets', rs);
  } catch (e) {
    if (e instanceof ApiError && e.reason === 'AlreadyExists') {
      const found = ctx.client.get<RS>('replicasets', d.metadata.namespace!, rs.metadata.name!);
      if (
        found &&
        controllerOf(found)?.uid === d.metadata.uid &&
        equalIgnoreHash(d.spec?.template, found.spec?.template)
      ) {
        created = found;
        alreadyExisted = true;
      } else {
        // A hash collision: salt the next hash and retry through the error path.
        d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        persistDeployment(ctx, { status: true });
        throw e;
      }
    } else if (e instanceof ApiError && e.code === 403 && /being terminated/.test(e.message)) {
      throw e;
    } else {
      const msg = `Failed to create new replica set "${rs.metadata.name}": ${e instanceof Error ? e.message : String(e)}`;
      if (hasProgressDeadline(d)) {
        d.status ??= {};
        setCondition(d.status, newCondition('Progressing', 'False', REASON.failedRSCreate, msg, ctx.now));
        try {
          persistDeployment(ctx, { status: true });
        } catch {
          // The create failure is the error worth reporting.
        }
      }
      ctx.events.event(d, 'Warning', REASON.failedRSCreate, msg, COMPONENT);
      throw e;
    }
  }
  if (!alreadyExisted && replicas > 0) {
    ctx.events.event(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${created.metadata.name} to ${replicas}`,
      COMPONENT,
    );
  }
  const annotationChanged = setDeploymentRevision(d, String(newRevision));
  let statusChanged = false;
  if (!alreadyExisted && hasProgressDeadline(d)) {
    d.status ??= {};
    setCondition(
      d.status,
      newCondition(
        'Progressing',
        'True',
        REASON.newRSCreated,
        `Created new replica set "${created.metadata.name}"`,
        ctx.now,
      ),
    );
    statusChanged = true;
  }
  persistDeployment(ctx, { annotations: annotationChanged, status: statusChanged });
  return created;
}
