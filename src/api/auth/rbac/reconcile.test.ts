import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ClusterRole, ClusterRoleBinding } from 'kubernetes-types/rbac/v1';
import { reconcileBinding, reconcileBootstrapPolicy, reconcileRole } from './reconcile.js';
import { G, rbacRegistry } from './testing/fixtures.js';

const role = (rules: ClusterRole['rules'], annotations?: Record<string, string>): ClusterRole => ({
  metadata: { name: 'r', ...(annotations && { annotations }) },
  rules,
});
const get = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
const list = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };

describe('bootstrap policy reconciliation (pkg/registry/rbac/reconciliation)', () => {
  test('missing → create; complete → none; lacking rules → rules added, user rules kept', () => {
    assert.equal(reconcileRole(role([get]), undefined).op, 'create');
    const expected = role([get], { a: 'x' });
    assert.equal(reconcileRole(expected, role([get, list], { a: 'x' })).op, 'none');
    const r = reconcileRole(
      role([get, list], { a: 'x' }),
      role([{ ...get, verbs: ['get', 'watch'] }], { a: 'mine' }),
    );
    assert.equal(r.op, 'update');
    assert.deepEqual(r.op === 'update' && r.object.rules, [{ ...get, verbs: ['get', 'watch'] }, list]);
    assert.deepEqual(r.op === 'update' && r.object.metadata?.annotations, { a: 'mine' });
  });

  test('autoupdate "false" protects an edited object', () => {
    const edited = role([], { 'rbac.authorization.kubernetes.io/autoupdate': 'false' });
    assert.equal(reconcileRole(role([get]), edited).op, 'none');
  });

  test('bindings: missing subjects added; a changed roleRef is re-created', () => {
    const b = (name: string, subjects: string[]): ClusterRoleBinding => ({
      metadata: { name: 'b' },
      roleRef: { apiGroup: G, kind: 'ClusterRole', name },
      subjects: subjects.map((s) => ({ kind: 'Group', apiGroup: G, name: s })),
    });
    const added = reconcileBinding(b('x', ['a']), b('x', ['z']));
    assert.equal(added.op, 'update');
    assert.deepEqual(added.op === 'update' && added.object.subjects?.map((s) => s.name), ['z', 'a']);
    assert.equal(reconcileBinding(b('x', ['a']), b('x', ['a', 'z'])).op, 'none');
    assert.equal(reconcileBinding(b('x', ['a']), b('y', ['a'])).op, 'recreate');
  });

  describe('at engine start', () => {
    const { store, registry } = rbacRegistry();
    after(() => store.close());

    test('creates the bootstrap roles and bindings, keeps user edits, restores deleted rules; twice is safe', () => {
      reconcileBootstrapPolicy(registry);
      const admin = registry.get('clusterroles', '', 'cluster-admin') as unknown as ClusterRole;
      assert.deepEqual(admin.rules, [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['*'] },
      ]);
      const binding = registry.get(
        'clusterrolebindings',
        '',
        'cluster-admin',
      ) as unknown as ClusterRoleBinding;
      assert.deepEqual(binding.subjects, [{ apiGroup: G, kind: 'Group', name: 'system:masters' }]);
      const pub = registry.get(
        'clusterrolebindings',
        '',
        'system:public-info-viewer',
      ) as unknown as ClusterRoleBinding;
      assert.deepEqual(
        pub.subjects?.map((s) => s.name),
        ['system:authenticated', 'system:unauthenticated'],
      );

      const basic = registry.get('clusterroles', '', 'system:basic-user')!;
      (basic as unknown as ClusterRole).rules = [get];
      registry.update('clusterroles', basic);
      const rv = registry.get('clusterroles', '', 'cluster-admin')!.metadata.resourceVersion;
      reconcileBootstrapPolicy(registry);
      const again = registry.get('clusterroles', '', 'system:basic-user') as unknown as ClusterRole;
      assert.deepEqual(again.rules?.[0], get);
      assert.ok(again.rules?.some((r) => r.resources?.includes('selfsubjectaccessreviews')));
      assert.equal(registry.get('clusterroles', '', 'cluster-admin')!.metadata.resourceVersion, rv);
    });
  });
});
