/**
 * Bootstrap policy reconciliation, as kube-apiserver's `rbac/bootstrap-roles` post-start hook
 * (pkg/registry/rbac/rest/storage_rbac.go over pkg/registry/rbac/reconciliation): at every start, each
 * bootstrap ClusterRole and ClusterRoleBinding is created when missing; an existing one keeps what users
 * added and only gains what it lacks (missing rules and aggregation selectors, missing subjects, missing
 * labels and annotations; nothing removed), unless its `rbac.authorization.kubernetes.io/autoupdate`
 * annotation is "false". A binding whose roleRef changed is deleted and re-created (roleRef is immutable).
 * Compute (`reconcileRole`, `reconcileBinding`) is pure; `reconcileBootstrapPolicy` acts. Safe to run twice.
 */
import { isDeepStrictEqual } from 'node:util';
import type { LabelSelector, ObjectMeta } from 'kubernetes-types/meta/v1';
import type { ClusterRole, ClusterRoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import type { ObjectClient } from '../../../controllers/client.js';
import type { KubeObject } from '../../types.js';
import {
  AUTO_UPDATE_ANNOTATION,
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
} from './bootstrap-policy.js';
import { covers } from './escalation.js';

export type Reconciled<T> =
  | { op: 'none' }
  | { op: 'create'; object: T }
  | { op: 'update'; object: T }
  | { op: 'recreate'; object: T };

type WithMeta = { metadata?: ObjectMeta };

const isProtected = (o: WithMeta | undefined): boolean =>
  o?.metadata?.annotations?.[AUTO_UPDATE_ANNOTATION] === 'false';

/** Labels and annotations: the existing values win, the expected keys are added. */
function mergeMeta<T extends WithMeta>(expected: WithMeta, existing: T): T {
  const next = structuredClone(existing);
  const labels = { ...expected.metadata?.labels, ...existing.metadata?.labels };
  const annotations = { ...expected.metadata?.annotations, ...existing.metadata?.annotations };
  next.metadata = {
    ...next.metadata,
    ...(Object.keys(labels).length > 0 && { labels }),
    ...(Object.keys(annotations).length > 0 && { annotations }),
  };
  return next;
}

/** computeReconciledRole with RemoveExtraPermissions false. */
export function reconcileRole(
  expected: ClusterRole,
  existing: ClusterRole | undefined,
): Reconciled<ClusterRole> {
  if (!existing) return { op: 'create', object: structuredClone(expected) };
  if (isProtected(existing)) return { op: 'none' };
  const next = mergeMeta(expected, existing);
  const [, missing] = covers(existing.rules ?? [], expected.rules ?? []);
  if (missing.length) next.rules = [...(existing.rules ?? []), ...missing];
  const want = expected.aggregationRule?.clusterRoleSelectors ?? [];
  if (want.length) {
    const have: LabelSelector[] = existing.aggregationRule?.clusterRoleSelectors ?? [];
    const lacking = want.filter((w) => !have.some((h) => isDeepStrictEqual(h, w)));
    if (lacking.length) next.aggregationRule = { clusterRoleSelectors: [...have, ...lacking] };
  }
  return isDeepStrictEqual(next, existing) ? { op: 'none' } : { op: 'update', object: next };
}

const sameSubject = (a: Subject, b: Subject): boolean =>
  a.kind === b.kind &&
  a.name === b.name &&
  (a.namespace ?? '') === (b.namespace ?? '') &&
  (a.apiGroup ?? '') === (b.apiGroup ?? '');

/** computeReconciledRoleBinding with RemoveExtraSubjects false. */
export function reconcileBinding(
  expected: ClusterRoleBinding,
  existing: ClusterRoleBinding | undefined,
): Reconciled<ClusterRoleBinding> {
  if (!existing) return { op: 'create', object: structuredClone(expected) };
  if (isProtected(existing)) return { op: 'none' };
  const next = mergeMeta(expected, existing);
  if (!isDeepStrictEqual(existing.roleRef, expected.roleRef)) {
    next.roleRef = structuredClone(expected.roleRef);
    next.subjects = structuredClone(expected.subjects);
    return { op: 'recreate', object: next };
  }
  const have = existing.subjects ?? [];
  const lacking = (expected.subjects ?? []).filter((w) => !have.some((h) => sameSubject(h, w)));
  if (lacking.length) next.subjects = [...have, ...lacking];
  return isDeepStrictEqual(next, existing) ? { op: 'none' } : { op: 'update', object: next };
}

function act<T extends KubeObject>(client: ObjectClient, resource: string, r: Reconciled<T>): void {
  switch (r.op) {
    case 'create':
      client.create(resource, r.object);
      return;
    case 'update':
      client.update(resource, r.object);
      return;
    case 'recreate': {
      client.delete(resource, '', r.object.metadata.name ?? '');
      const fresh = structuredClone(r.object);
      for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields'] as const)
        delete fresh.metadata[k];
      client.create(resource, fresh);
      return;
    }
  }
}

/** Creates or completes every bootstrap ClusterRole and ClusterRoleBinding (in-process, as the apiserver). */
export function reconcileBootstrapPolicy(client: ObjectClient): void {
  for (const role of bootstrapClusterRoles()) {
    const existing = client.get('clusterroles', '', role.metadata?.name ?? '') as ClusterRole | undefined;
    act(client, 'clusterroles', reconcileRole(role, existing) as Reconciled<KubeObject>);
  }
  for (const binding of bootstrapClusterRoleBindings()) {
    const existing = client.get('clusterrolebindings', '', binding.metadata?.name ?? '') as
      | ClusterRoleBinding
      | undefined;
    act(client, 'clusterrolebindings', reconcileBinding(binding, existing) as Reconciled<KubeObject>);
  }
}
