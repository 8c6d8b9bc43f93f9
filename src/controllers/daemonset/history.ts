/**
 * Revision history in ControllerRevisions, as upstream's DaemonSet controller keeps it
 * (pkg/controller/daemon/update.go: constructHistory, snapshot, dedupCurHistories, cleanupHistory,
 * getPatch, Match) and the StatefulSet controller nearly the same (pkg/controller/history,
 * stateful_set_control.go getStatefulSetRevisions / truncateHistory). A revision's data is the
 * strategic merge patch `{"spec":{"template":{..., "$patch":"replace"}}}` that `kubectl rollout
 * undo` sends back. Revisions are named `<owner>-<hash>`, the hash being the Deployment
 * controller's ComputeHash salted by status.collisionCount; what differs per kind is in
 * `RevisionKind` (the label carrying the hash, what pods carry to name their revision).
 */
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import type { ObjectClient } from '../client.js';
import { computeHash } from '../deployment/hash.js';
import { claimObjects } from '../util/claim.js';
import { newControllerRef } from '../util/owners.js';
import { podSelectorOf, type SelectingObject } from '../util/pod-controllers.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { CONTROLLER_REVISION_HASH_LABEL } from './daemon-pods.js';

export type DS = DaemonSet & KubeObject;
export type Revision = ControllerRevision & KubeObject;

/** A DaemonSet or StatefulSet: a selector, a template, a collisionCount. */
export type RevisionOwner = SelectingObject & {
  spec?: { template?: PodTemplateSpec; revisionHistoryLimit?: number };
  status?: { collisionCount?: number };
};

export interface RevisionKind {
  /** The owner's resource, for the collisionCount bump. */
  resource: string;
  /** The label a revision carries its hash in. */
  hashLabel: string;
  /** The value of the pods' `controller-revision-hash` label that names this revision. */
  podLabelValue(rev: Revision): string;
  /** DaemonSet revisions copy the owner's annotations (kubectl reads change-cause there). */
  copyAnnotations: boolean;
  /**
   * What revisionHistoryLimit bounds: every old revision (DaemonSet's cleanupHistory), or only
   * those no pod runs (StatefulSet's truncateHistory).
   */
  limitCounts: 'old' | 'notLive';
}

export const DAEMONSET_REVISIONS: RevisionKind = {
  resource: 'daemonsets',
  hashLabel: CONTROLLER_REVISION_HASH_LABEL,
  podLabelValue: (rev) => rev.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '',
  copyAnnotations: true,
  limitCounts: 'old',
};

/** getPatch: the owner's template as a patch that replaces spec.template. */
export const revisionData = (owner: RevisionOwner): Record<string, unknown> => ({
  spec: { template: { ...structuredClone(owner.spec?.template ?? {}), $patch: 'replace' } },
});

/** Match: the revision records exactly the owner's current template. */
export const matchesRevision = (owner: RevisionOwner, rev: ControllerRevision): boolean =>
  semanticEqual(rev.data, revisionData(owner));

/** controlledHistories: the revisions the selector matches, adopted or released as pods are. */
function controlledRevisions(client: ObjectClient, owner: RevisionOwner): Revision[] {
  const selector = podSelectorOf(owner);
  const all = client.list<Revision>('controllerrevisions', { namespace: owner.metadata.namespace });
  return claimObjects(client, 'controllerrevisions', owner, all, (r) => selector.matches(r.metadata.labels));
}

const byRevision = (a: Revision, b: Revision) => (a.revision ?? 0) - (b.revision ?? 0);

export interface History {
  current: Revision;
  old: Revision[];
}

/** Thrown when a revision of the same name but other data exists and collisionCount was stale. */
export class HashCollisionError extends Error {
  override readonly name = 'HashCollisionError';
}

/**
 * constructHistory: the revision of the owner's current template (created, or renumbered to be the
 * newest) and the others. Safe to call on every sync: it writes only when something is missing,
 * stale or duplicated.
 */
export function constructHistory(
  client: ObjectClient,
  kind: RevisionKind,
  owner: RevisionOwner,
  pods: readonly Pod[],
): History {
  const current: Revision[] = [];
  const old: Revision[] = [];
  for (let rev of controlledRevisions(client, owner)) {
    if (!rev.metadata.labels?.[kind.hashLabel]) {
      const labels = { ...rev.metadata.labels, [kind.hashLabel]: rev.metadata.name! };
      rev = client.update('controllerrevisions', { ...rev, metadata: { ...rev.metadata, labels } });
    }
    (matchesRevision(owner, rev) ? current : old).push(rev);
  }
  const next = Math.max(0, ...old.map((r) => r.revision ?? 0)) + 1;
  if (current.length === 0) return { current: snapshot(client, kind, owner, next), old };
  let cur = dedupCurrent(client, kind, owner, current, pods);
  if ((cur.revision ?? 0) < next) cur = client.update('controllerrevisions', { ...cur, revision: next });
  return { current: cur, old };
}

/** snapshot: create the revision for the current template; on a name clash, bump collisionCount. */
function snapshot(
  client: ObjectClient,
  kind: RevisionKind,
  owner: RevisionOwner,
  revision: number,
): Revision {
  const hash = computeHash(owner.spec?.template, owner.status?.collisionCount);
  const name = `${owner.metadata.name}-${hash}`;
  const annotations = kind.copyAnnotations ? owner.metadata.annotations : undefined;
  const rev: Revision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: { ...owner.spec?.template?.metadata?.labels, [kind.hashLabel]: hash },
      ...(annotations ? { annotations: { ...annotations } } : {}),
      ownerReferences: [newControllerRef(owner)],
    },
    data: revisionData(owner),
    revision,
  };
  try {
    return client.create('controllerrevisions', rev);
  } catch (e) {
    if ((e as { code?: number }).code !== 409) throw e;
    const existing = client.get<Revision>('controllerrevisions', owner.metadata.namespace!, name);
    if (existing && matchesRevision(owner, existing)) return existing;
    const cur = client.get<RevisionOwner>(kind.resource, owner.metadata.namespace!, owner.metadata.name!);
    if (!cur) throw e;
    if (cur.status?.collisionCount !== owner.status?.collisionCount) {
      throw new HashCollisionError(
        `found a stale collision count (${owner.status?.collisionCount ?? 0}, expected ${cur.status?.collisionCount ?? 0}) of ${owner.kind} "${owner.metadata.name}" while processing; will retry until it is updated`,
      );
    }
    client.updateStatus(kind.resource, {
      ...cur,
      status: { ...cur.status, collisionCount: (cur.status?.collisionCount ?? 0) + 1 },
    });
    throw e;
  }
}

/** dedupCurHistories: keep the highest revision, move pods of the duplicates onto it. */
function dedupCurrent(
  client: ObjectClient,
  kind: RevisionKind,
  owner: RevisionOwner,
  current: Revision[],
  pods: readonly Pod[],
): Revision {
  if (current.length === 1) return current[0]!;
  const keep = [...current].sort(byRevision).at(-1)!;
  const keepValue = kind.podLabelValue(keep);
  for (const dup of current) {
    if (dup === keep) continue;
    const dupValue = kind.podLabelValue(dup);
    for (const pod of pods as (Pod & KubeObject)[]) {
      if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== dupValue) continue;
      const labels = { ...pod.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: keepValue };
      client.update('pods', { ...pod, metadata: { ...pod.metadata, labels } });
    }
    client.delete('controllerrevisions', owner.metadata.namespace!, dup.metadata.name!);
  }
  return keep;
}

/**
 * cleanupHistory / truncateHistory: oldest first, delete old revisions past revisionHistoryLimit
 * that no live pod runs (`keep` names more revisions to spare, by pod label value).
 */
export function cleanupHistory(
  client: ObjectClient,
  kind: RevisionKind,
  owner: RevisionOwner,
  old: readonly Revision[],
  pods: readonly Pod[],
  keep: readonly string[] = [],
): void {
  const live = new Set([
    ...keep,
    ...pods.map((p) => p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '').filter(Boolean),
  ]);
  const candidates = [...old].sort(byRevision).filter((r) => !live.has(kind.podLabelValue(r)));
  const counted = kind.limitCounts === 'old' ? old.length : candidates.length;
  let toKill = counted - (owner.spec?.revisionHistoryLimit ?? 10);
  for (const rev of candidates) {
    if (toKill <= 0) break;
    client.delete('controllerrevisions', owner.metadata.namespace!, rev.metadata.name!);
    toKill--;
  }
}
