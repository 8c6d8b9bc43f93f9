import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Attributes } from '../authorizer.js';
import { ADMIN_USER, serviceAccountUser, type UserInfo } from '../user.js';
import { rbacAuthorizer } from './authorizer.js';
import { RuleResolver } from './resolver.js';
import { bindingObject, group, rbacRegistry, roleObject, sa, user } from './testing/fixtures.js';

const tick = () => new Promise((r) => setImmediate(r));
const jane: UserInfo = { username: 'jane', groups: ['devs', 'system:authenticated'] };
const dev = serviceAccountUser({ namespace: 'default', name: 'dev' });
const ask = (
  u: UserInfo,
  verb: string,
  resource: string,
  namespace = 'default',
  extra: Partial<Attributes> = {},
) =>
  ({
    user: u,
    verb,
    resourceRequest: true,
    apiGroup: '',
    resource,
    subresource: '',
    name: '',
    namespace,
    ...extra,
  }) as Attributes;

describe('rbacAuthorizer (plugin/pkg/auth/authorizer/rbac)', () => {
  const { store, registry } = rbacRegistry();
  const resolver = new RuleResolver(store);
  const authz = rbacAuthorizer(resolver);
  after(() => {
    resolver.close();
    store.close();
  });

  registry.create(
    'roles',
    roleObject(
      'Role',
      'pod-reader',
      [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] }],
      'default',
    ),
  );
  registry.create(
    'clusterroles',
    roleObject('ClusterRole', 'secret-reader', [
      { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['token'] },
    ]),
  );
  registry.create(
    'clusterroles',
    roleObject('ClusterRole', 'node-viewer', [
      { verbs: ['list'], apiGroups: [''], resources: ['nodes'] },
      { verbs: ['get'], nonResourceURLs: ['/metrics*'] },
    ]),
  );
  registry.create(
    'rolebindings',
    bindingObject('RoleBinding', 'dev-pods', { kind: 'Role', name: 'pod-reader' }, [sa('dev')], 'default'),
  );
  registry.create(
    'rolebindings',
    bindingObject(
      'RoleBinding',
      'devs-secrets',
      { kind: 'ClusterRole', name: 'secret-reader' },
      [user('bob'), group('devs')],
      'team',
    ),
  );
  registry.create(
    'clusterrolebindings',
    bindingObject('ClusterRoleBinding', 'jane-nodes', { kind: 'ClusterRole', name: 'node-viewer' }, [
      user('jane'),
    ]),
  );
  before(tick);

  test('system:masters may do anything, with no reason (the privileged-group authorizer)', () => {
    assert.deepEqual(authz.authorize(ask(ADMIN_USER, 'delete', 'nodes', '')), {
      decision: 'Allow',
      reason: '',
    });
  });

  test('a Role through a RoleBinding to a ServiceAccount, named as upstream', () => {
    assert.deepEqual(authz.authorize(ask(dev, 'list', 'pods')), {
      decision: 'Allow',
      reason:
        'RBAC: allowed by RoleBinding "dev-pods/default" of Role "pod-reader" to ServiceAccount "dev/default"',
    });
    assert.equal(
      authz.authorize(ask(dev, 'get', 'pods', 'default', { subresource: 'log' })).decision,
      'Allow',
    );
    assert.deepEqual(authz.authorize(ask(dev, 'delete', 'pods')), { decision: 'NoOpinion', reason: '' });
    assert.equal(authz.authorize(ask(dev, 'list', 'pods', 'team')).decision, 'NoOpinion');
    assert.equal(
      authz.authorize(ask(serviceAccountUser({ namespace: 'team', name: 'dev' }), 'list', 'pods')).decision,
      'NoOpinion',
    );
  });

  test('a ClusterRole through a RoleBinding applies in that namespace only; groups match; resourceNames hold', () => {
    assert.deepEqual(authz.authorize(ask(jane, 'get', 'secrets', 'team', { name: 'token' })), {
      decision: 'Allow',
      reason:
        'RBAC: allowed by RoleBinding "devs-secrets/team" of ClusterRole "secret-reader" to Group "devs"',
    });
    assert.equal(
      authz.authorize(ask(jane, 'get', 'secrets', 'team', { name: 'other' })).decision,
      'NoOpinion',
    );
    assert.equal(
      authz.authorize(ask(jane, 'get', 'secrets', 'default', { name: 'token' })).decision,
      'NoOpinion',
    );
    assert.match(
      authz.authorize(ask({ username: 'bob', groups: [] }, 'get', 'secrets', 'team', { name: 'token' }))
        .reason,
      /to User "bob"$/,
    );
  });

  test('a ClusterRoleBinding applies everywhere, to non-resource URLs too', () => {
    assert.deepEqual(authz.authorize(ask(jane, 'list', 'nodes', '')), {
      decision: 'Allow',
      reason: 'RBAC: allowed by ClusterRoleBinding "jane-nodes" of ClusterRole "node-viewer" to User "jane"',
    });
    assert.equal(
      authz.authorize({ user: jane, verb: 'get', resourceRequest: false, path: '/metrics/slis' }).decision,
      'Allow',
    );
    assert.equal(
      authz.authorize({ user: jane, verb: 'get', resourceRequest: false, path: '/healthz' }).decision,
      'NoOpinion',
    );
  });

  test('a binding to a missing role: the reason names it; the index follows changes', async () => {
    registry.create(
      'clusterrolebindings',
      bindingObject('ClusterRoleBinding', 'ghost', { kind: 'ClusterRole', name: 'gone' }, [user('carl')]),
    );
    await tick();
    const carl = { username: 'carl', groups: [] };
    assert.deepEqual(authz.authorize(ask(carl, 'get', 'pods')), {
      decision: 'NoOpinion',
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
    assert.deepEqual(authz.rulesFor(carl, 'default'), {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: 'clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
    registry.create(
      'clusterroles',
      roleObject('ClusterRole', 'gone', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]),
    );
    await tick();
    assert.equal(authz.authorize(ask(carl, 'get', 'pods')).decision, 'Allow');
    registry.delete('clusterrolebindings', '', 'ghost');
    await tick();
    assert.equal(authz.authorize(ask(carl, 'get', 'pods')).decision, 'NoOpinion');
  });

  test('rulesFor: what SelfSubjectRulesReview lists, resource and non-resource rules apart', () => {
    assert.deepEqual(authz.rulesFor(jane, 'team'), {
      resourceRules: [
        { verbs: ['list'], apiGroups: [''], resources: ['nodes'] },
        { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['token'] },
      ],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/metrics*'] }],
      incomplete: false,
    });
  });
});
