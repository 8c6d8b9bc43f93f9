import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ClusterRole } from 'kubernetes-types/rbac/v1';
import { reconcileBootstrapPolicy } from '../../api/auth/rbac/reconcile.js';
import { rbacRegistry } from '../../api/auth/rbac/testing/fixtures.js';
import { FakeEventRecorder } from '../testing/fake-events.js';
import { aggregatedRules, ClusterRoleAggregationController } from './controller.js';

const G = 'rbac.authorization.k8s.io';
const cr = (name: string, labels: Record<string, string>, rules: ClusterRole['rules']): ClusterRole => ({
  metadata: { name, labels },
  rules,
});
const rule = (verb: string, resource: string) => ({ verbs: [verb], apiGroups: [''], resources: [resource] });

describe('ClusterRole aggregation (pkg/controller/clusterroleaggregation)', () => {
  test('union of the matching roles’ rules, by selector then name, each rule once, never itself', () => {
    const agg: ClusterRole = {
      metadata: { name: 'agg', labels: { a: 'true' } },
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { a: 'true' } }, { matchLabels: { b: 'true' } }],
      },
      rules: [rule('x', 'self')],
    };
    const all = [
      agg,
      cr('z', { a: 'true' }, [rule('get', 'pods')]),
      cr('m', { a: 'true' }, [rule('list', 'pods'), rule('get', 'pods')]),
      cr('n', { b: 'true' }, [rule('get', 'secrets')]),
      cr('o', {}, [rule('delete', 'pods')]),
    ];
    assert.deepEqual(aggregatedRules(agg, all), [
      rule('list', 'pods'),
      rule('get', 'pods'),
      rule('get', 'secrets'),
    ]);
  });

  test('the controller fills admin, edit and view, and follows a new aggregate-to-view role', async () => {
    const { store, registry } = rbacRegistry();
    after(() => store.close());
    reconcileBootstrapPolicy(registry);
    const c = new ClusterRoleAggregationController(
      { client: registry, events: new FakeEventRecorder(), clock: { now: () => new Date() }, log: () => {} },
      { resyncPeriodMs: 0 },
    );
    c.start();
    try {
      const rulesOf = (name: string) =>
        (registry.get('clusterroles', '', name) as unknown as ClusterRole).rules ?? [];
      const until = async (ok: () => boolean) => {
        for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
        assert.ok(ok());
      };
      const has = (name: string, verb: string, resource: string, group = '') =>
        rulesOf(name).some(
          (r) => r.verbs.includes(verb) && r.resources?.includes(resource) && r.apiGroups?.includes(group),
        );
      await until(() => has('view', 'get', 'configmaps') && has('edit', 'create', 'deployments', 'apps'));
      await until(() => has('admin', 'create', 'roles', G) && has('admin', 'get', 'configmaps'));
      assert.ok(!has('view', 'get', 'secrets'));
      registry.create('clusterroles', {
        apiVersion: `${G}/v1`,
        kind: 'ClusterRole',
        metadata: { name: 'crd-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
        rules: [{ verbs: ['get'], apiGroups: ['example.com'], resources: ['widgets'] }],
      });
      await until(
        () => has('view', 'get', 'widgets', 'example.com') && has('admin', 'get', 'widgets', 'example.com'),
      );
    } finally {
      c.stop();
    }
  });
});
