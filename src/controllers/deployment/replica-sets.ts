/**
 * Which ReplicaSets of a deployment are new and old, and the annotations that record
 * revisions and sizes on them, as upstream's deployment/util:
 *  - the new RS is the oldest whose template equals the deployment's once pod-template-hash
 *    is ignored (kubectl describe and rollout history use the same rule);
 *  - `deployment.kubernetes.io/revision` is max(old revisions)+1 for the new RS; when an old RS
 *    becomes new again (rollout undo) its previous revision moves to `revision-history`;
 *  - `desired-replicas` / `max-replicas` record the deployment size each RS was scaled for,
 *    which proportional scaling reads back.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { KubeObject } from '../../api/types.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { desiredReplicas, maxSurge } from './intstr.js';

export type RS = ReplicaSet & KubeObject;
export type Dep = Deployment & KubeObject;

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** upstream's maxRevHistoryLengthInChars. */
const MAX_REVISION_HISTORY_CHARS = 2000;

const ANNOTATIONS_NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

export const replicasOf = (rs: RS | undefined): number => rs?.spec?.replicas ?? 0;

/** controller.ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreation(a: RS, b: RS): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return Date.parse(ta) - Date.parse(tb);
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** EqualIgnoreHash: template equality with pod-template-hash removed from both. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (t: unknown): unknown => {
    const c = structuredClone(t ?? {}) as { metadata?: { labels?: Record<string, string> } };
    if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
    return c;
  };
  return semanticEqual(strip(a), strip(b));
}

export function findNewReplicaSet(d: Dep, rsList: readonly RS[]): RS | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every RS but the new one. */
export const findOldReplicaSets = (rsList: readonly RS[], newRS: RS | undefined): RS[] =>
  rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);

export const filterActive = (rsList: readonly (RS | undefined)[]): RS[] =>
  rsList.filter((rs): rs is RS => !!rs && replicasOf(rs) > 0);

/** The revision number of an RS; 0 when absent or unparsable. */
export function revisionOf(o: KubeObject | undefined): number {
  const v = o?.metadata.annotations?.[REVISION];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

export const maxRevision = (rsList: readonly RS[]): number => Math.max(0, ...rsList.map(revisionOf));

function copyDeploymentAnnotations(d: Dep, rs: RS): boolean {
  let changed = false;
  rs.metadata.annotations ??= {};
  const target = rs.metadata.annotations;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_NOT_COPIED.has(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: true when either annotation changed. */
export function setReplicasAnnotations(rs: RS, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) {
    a[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS] !== String(max)) {
    a[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: RS, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: copies the deployment's annotations, raises the revision to
 * `newRevision` (recording the previous one in revision-history), and for an RS about to be
 * created sets the replicas annotations. Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Dep, rs: RS, newRevision: number, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  const oldRevision = a[REVISION];
  let oldRevisionInt = 0;
  if (oldRevision !== undefined) {
    oldRevisionInt = Number(oldRevision);
    if (!Number.isInteger(oldRevisionInt)) return false;
  }
  if (oldRevisionInt < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      const history = a[REVISION_HISTORY] ?? '';
      if (history.length === 0) a[REVISION_HISTORY] = oldRevision;
      else {
        const parts = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < parts.length)
          total -= parts[start++]!.length + 1;
        if (total <= MAX_REVISION_HISTORY_CHARS)
          a[REVISION_HISTORY] = [...parts.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d)))
    changed = true;
  return changed;
}

/** SetDeploymentRevision: true when the deployment's revision annotation changed. */
export function setDeploymentRevision(d: Dep, revision: string): boolean {
  d.metadata.annotations ??= {};
  const a = d.metadata.annotations;
  if (a[REVISION] === revision) return false;
  a[REVISION] = revision;
  return true;
}

/** The desired-replicas annotation, if present and an integer. */
export function desiredAnnotation(rs: RS): number | undefined {
  const v = rs.metadata.annotations?.[DESIRED_REPLICAS];
  const n = v === undefined ? Number.NaN : Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function maxReplicasAnnotation(rs: RS): number | undefined {
  const v = rs.metadata.annotations?.[MAX_REPLICAS];
  const n = v === undefined ? Number.NaN : Number(v);
  return Number.isInteger(n) ? n : undefined;
}

/** Sums over a list that may hold an absent new RS. */
export const sumSpecReplicas = (l: readonly (RS | undefined)[]): number =>
  l.reduce((s, rs) => s + replicasOf(rs), 0);
export const sumStatus = (
  l: readonly (RS | undefined)[],
  f: 'replicas' | 'readyReplicas' | 'availableReplicas',
): number => l.reduce((s, rs) => s + (rs?.status?.[f] ?? 0), 0);
