import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PolicyRule } from 'kubernetes-types/rbac/v1';
import { Registry } from '../../registry/registry.js';
import { ADMIN_USER, serviceAccountUser } from '../user.js';
import { rbacAuthorizer } from './authorizer.js';
import { compactRules, compactString, covers, rbacEscalationCheck } from './escalation.js';
import { RuleResolver } from './resolver.js';
import { bindingObject, rbacRegistry, roleObject, sa } from './testing/fixtures.js';

const r = (verbs: string[], resources: string[], extra: Partial<PolicyRule> = {}): PolicyRule => ({
  verbs,
  apiGroups: [''],
  resources,
  ...extra,
});

describe('Covers (policy_comparator.go)', () => {
  const CASES: [string, PolicyRule[], PolicyRule[], boolean][] = [
    ['same rule', [r(['get'], ['pods'])], [r(['get'], ['pods'])], true],
    ['more verbs than held', [r(['get'], ['pods'])], [r(['get', 'list'], ['pods'])], false],
    [
      'spread over two owner rules',
      [r(['get'], ['pods']), r(['list'], ['pods'])],
      [r(['get', 'list'], ['pods'])],
      true,
    ],
    [
      '* verbs, groups, resources',
      [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      [r(['escalate'], ['roles'], { apiGroups: ['x'] })],
      true,
    ],
    ['*/subresource covers a subresource', [r(['get'], ['*/status'])], [r(['get'], ['pods/status'])], true],
    ['a resource does not cover its subresource', [r(['get'], ['pods'])], [r(['get'], ['pods/log'])], false],
    [
      'names held cover those names',
      [r(['get'], ['pods'], { resourceNames: ['a', 'b'] })],
      [r(['get'], ['pods'], { resourceNames: ['a'] })],
      true,
    ],
    [
      'named access does not cover all',
      [r(['get'], ['pods'], { resourceNames: ['a'] })],
      [r(['get'], ['pods'])],
      false,
    ],
    [
      'URL prefix',
      [{ verbs: ['get'], nonResourceURLs: ['/api/*'] }],
      [{ verbs: ['get'], nonResourceURLs: ['/api/v1'] }],
      true,
    ],
    [
      'URL not held',
      [{ verbs: ['get'], nonResourceURLs: ['/api'] }],
      [{ verbs: ['get'], nonResourceURLs: ['/apis'] }],
      false,
    ],
  ];
  for (const [name, owner, servant, want] of CASES)
    test(name, () => assert.equal(covers(owner, servant)[0], want));

  test('the missing rules, broken down then compacted, as the message lists them', () => {
    const [, missing] = covers([r(['get'], ['pods'])], [r(['get', 'delete', 'patch'], ['pods', 'secrets'])]);
    assert.deepEqual(compactRules(missing).map(compactString).sort(), [
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete" "patch"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete" "patch"]}',
    ]);
  });
});

describe('escalation check (pkg/registry/rbac policybased storage)', () => {
  const { store, registry: base } = rbacRegistry();
  const resolver = new RuleResolver(store);
  const authorizer = rbacAuthorizer(resolver);
  // The same store through a registry that runs the check, as the engine wires it.
  const registry = new Registry({
    store,
    strategies: base.strategies(),
    clock: { now: () => new Date() },
    admission: [rbacEscalationCheck({ authorizer, resolver })],
  });
  const lead = serviceAccountUser({ namespace: 'default', name: 'lead' });
  after(() => {
    resolver.close();
    store.close();
  });
  before(async () => {
    base.create(
      'roles',
      roleObject(
        'Role',
        'writer',
        [
          r(['create', 'update'], ['roles', 'rolebindings'], { apiGroups: ['rbac.authorization.k8s.io'] }),
          r(['get'], ['pods']),
        ],
        'default',
      ),
    );
    base.create(
      'rolebindings',
      bindingObject('RoleBinding', 'lead', { kind: 'Role', name: 'writer' }, [sa('lead')], 'default'),
    );
    base.create('clusterroles', roleObject('ClusterRole', 'pod-deleter', [r(['delete'], ['pods'])]));
    await new Promise((res) => setImmediate(res));
  });

  const asLead = { user: lead };
  const groups = '["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"]';

  test('a Role with rules the writer holds is created; one with more is refused with upstream’s message', () => {
    registry.create('roles', roleObject('Role', 'ok', [r(['get'], ['pods'])], 'default'), asLead);
    assert.throws(
      () =>
        registry.create(
          'roles',
          roleObject('Role', 'more', [r(['get', 'delete'], ['pods', 'secrets'])], 'default'),
          asLead,
        ),
      (e: { code?: number; message?: string }) => {
        assert.equal(e.code, 403);
        assert.equal(
          e.message,
          `roles.rbac.authorization.k8s.io "more" is forbidden: user "system:serviceaccount:default:lead" (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n` +
            '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
        );
        return true;
      },
    );
  });

  test('system:masters and in-process writers pass; escalate on roles lets a writer grant anything', async () => {
    registry.create('roles', roleObject('Role', 'admin-made', [r(['*'], ['*'])], 'default'), {
      user: ADMIN_USER,
    });
    registry.create('roles', roleObject('Role', 'controller-made', [r(['*'], ['*'])], 'default'));
    base.create(
      'roles',
      roleObject(
        'Role',
        'escalator',
        [r(['escalate'], ['roles'], { apiGroups: ['rbac.authorization.k8s.io'] })],
        'default',
      ),
    );
    base.create(
      'rolebindings',
      bindingObject(
        'RoleBinding',
        'lead-escalates',
        { kind: 'Role', name: 'escalator' },
        [sa('lead')],
        'default',
      ),
    );
    await new Promise((res) => setImmediate(res));
    registry.create('roles', roleObject('Role', 'big', [r(['*'], ['*'])], 'default'), asLead);
  });

  test('a binding needs the role’s permissions or bind on it', async () => {
    assert.throws(
      () =>
        registry.create(
          'rolebindings',
          bindingObject(
            'RoleBinding',
            'b1',
            { kind: 'ClusterRole', name: 'pod-deleter' },
            [sa('lead')],
            'default',
          ),
          asLead,
        ),
      /rolebindings\.rbac\.authorization\.k8s\.io "b1" is forbidden: user "system:serviceaccount:default:lead" .* not currently held:\n\{APIGroups:\[""\], Resources:\["pods"\], Verbs:\["delete"\]\}$/,
    );
    assert.throws(
      () =>
        registry.create(
          'rolebindings',
          bindingObject('RoleBinding', 'b2', { kind: 'Role', name: 'nope' }, [sa('lead')], 'default'),
          asLead,
        ),
      /rolebindings\.rbac\.authorization\.k8s\.io "b2" is forbidden: role\.rbac\.authorization\.k8s\.io "nope" not found/,
    );
    // Holding every rule of the role is enough.
    registry.create(
      'rolebindings',
      bindingObject('RoleBinding', 'b3', { kind: 'Role', name: 'ok' }, [sa('other')], 'default'),
      asLead,
    );
    base.create(
      'roles',
      roleObject(
        'Role',
        'binder',
        [
          r(['bind'], ['clusterroles'], {
            apiGroups: ['rbac.authorization.k8s.io'],
            resourceNames: ['pod-deleter'],
          }),
        ],
        'default',
      ),
    );
    base.create(
      'rolebindings',
      bindingObject('RoleBinding', 'lead-binds', { kind: 'Role', name: 'binder' }, [sa('lead')], 'default'),
    );
    await new Promise((res) => setImmediate(res));
    registry.create(
      'rolebindings',
      bindingObject(
        'RoleBinding',
        'b1',
        { kind: 'ClusterRole', name: 'pod-deleter' },
        [sa('lead')],
        'default',
      ),
      asLead,
    );
  });
});
