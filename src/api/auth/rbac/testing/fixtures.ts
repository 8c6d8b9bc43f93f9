/** Test helpers: an in-memory store with the RBAC kinds, and builders for roles and bindings. */
import type { PolicyRule, Subject } from 'kubernetes-types/rbac/v1';
import { Store } from '../../../../store/sqlite-store.js';
import { createStrategies } from '../../../registry/catalog.js';
import { RBAC_GROUP } from '../../../registry/rbac/validation.js';
import { Registry } from '../../../registry/registry.js';
import type { KubeObject } from '../../../types.js';

export const G = RBAC_GROUP;

export function rbacRegistry(): { store: Store; registry: Registry } {
  const store = Store.open({ path: ':memory:' });
  const registry = new Registry({
    store,
    strategies: createStrategies({ store }),
    clock: { now: () => new Date() },
  });
  for (const name of ['default', 'team'])
    registry.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return { store, registry };
}

export const roleObject = (
  kind: 'Role' | 'ClusterRole',
  name: string,
  rules: PolicyRule[],
  namespace?: string,
) =>
  ({
    apiVersion: `${G}/v1`,
    kind,
    metadata: { name, ...(namespace && { namespace }) },
    rules,
  }) as unknown as KubeObject;

export const bindingObject = (
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  roleRef: { kind: string; name: string },
  subjects: Subject[],
  namespace?: string,
) =>
  ({
    apiVersion: `${G}/v1`,
    kind,
    metadata: { name, ...(namespace && { namespace }) },
    roleRef: { apiGroup: G, ...roleRef },
    subjects,
  }) as unknown as KubeObject;

export const user = (name: string): Subject => ({ kind: 'User', apiGroup: G, name });
export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: G, name });
export const sa = (name: string, namespace?: string): Subject => ({
  kind: 'ServiceAccount',
  name,
  ...(namespace && { namespace }),
});
