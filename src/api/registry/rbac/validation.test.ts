import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1';
import { Store } from '../../../store/sqlite-store.js';
import type { KubeObject } from '../../types.js';
import { formatFieldError } from '../../validation/field.js';
import { createStrategies } from '../catalog.js';
import { Registry } from '../registry.js';
import {
  validateBindingUpdate,
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from './validation.js';

const G = 'rbac.authorization.k8s.io';
const msgs = (errs: { field: string }[]) => errs.map((e) => formatFieldError(e as never));
const role = (rules: Role['rules']): Role => ({ metadata: { name: 'r' }, rules });
const ref = { apiGroup: G, kind: 'Role', name: 'r' };

describe('rbac validation (pkg/apis/rbac/validation)', () => {
  test('policy rules: verbs, groups and resources required; URLs only cluster-wide, never with resources', () => {
    assert.deepEqual(msgs(validateRole(role([{ verbs: [] } as never]))), [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
    assert.deepEqual(msgs(validateRole(role([{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]))), [
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
    ]);
    const mixed: ClusterRole = {
      metadata: { name: 'c' },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }],
    };
    assert.deepEqual(msgs(validateClusterRole(mixed)), [
      'rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs',
    ]);
    assert.deepEqual(
      validateClusterRole({ metadata: { name: 'c' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }),
      [],
    );
    assert.deepEqual(
      validateRole(role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }])),
      [],
    );
  });

  test('aggregationRule needs at least one valid selector', () => {
    assert.deepEqual(
      msgs(validateClusterRole({ metadata: { name: 'c' }, aggregationRule: { clusterRoleSelectors: [] } })),
      [
        'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
      ],
    );
    const bad = validateClusterRole({
      metadata: { name: 'c' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'a b': 'x' } }] },
    });
    assert.equal(bad.length, 1);
    assert.match(
      msgs(bad)[0]!,
      /^aggregationRule\.clusterRoleSelectors\[0\]\.matchLabels: Invalid value: "a b"/,
    );
  });

  test('roleRef: group, kind and name; a ClusterRoleBinding only references ClusterRoles', () => {
    const rb: RoleBinding = { metadata: { name: 'b' }, roleRef: { apiGroup: 'x', kind: 'Pod', name: '' } };
    assert.deepEqual(msgs(validateRoleBinding(rb)), [
      'roleRef.apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"',
      'roleRef.name: Required value',
    ]);
    const crb: ClusterRoleBinding = {
      metadata: { name: 'b' },
      roleRef: { apiGroup: G, kind: 'Role', name: 'a/b' },
    };
    assert.deepEqual(msgs(validateClusterRoleBinding(crb)), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      `roleRef.name: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  test('subjects: kinds, apiGroups, names; a ServiceAccount in a ClusterRoleBinding needs a namespace', () => {
    const subjects = [
      { kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: G },
      { kind: 'User', name: 'jane', apiGroup: '' },
      { kind: 'Group', name: '', apiGroup: G },
      { kind: 'Robot', name: 'r' },
    ];
    assert.deepEqual(msgs(validateRoleBinding({ metadata: { name: 'b' }, roleRef: ref, subjects })), [
      `subjects[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      'subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
      'subjects[1].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
      'subjects[2].name: Required value',
      'subjects[3].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    const crb = {
      metadata: { name: 'b' },
      roleRef: { ...ref, kind: 'ClusterRole' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
    };
    assert.deepEqual(msgs(validateClusterRoleBinding(crb)), ['subjects[0].namespace: Required value']);
    assert.deepEqual(validateRoleBinding({ ...crb, roleRef: ref }), []);
  });

  test('roleRef is immutable on update, reported as Go prints the struct', () => {
    const old: RoleBinding = { metadata: { name: 'b' }, roleRef: ref };
    assert.deepEqual(validateBindingUpdate({ ...old, subjects: [] }, old), []);
    assert.deepEqual(msgs(validateBindingUpdate({ ...old, roleRef: { ...ref, name: 'other' } }, old)), [
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
    ]);
  });
});

describe('rbac strategies through the registry', () => {
  const store = Store.open({ path: ':memory:' });
  const registry = new Registry({
    store,
    strategies: createStrategies({ store }),
    clock: { now: () => new Date() },
  });
  registry.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  after(() => store.close());

  test('defaults: roleRef.apiGroup, and User/Group subjects get the rbac group; ServiceAccounts none', () => {
    const b = registry.create<KubeObject>('rolebindings', {
      apiVersion: `${G}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'b', namespace: 'default' },
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'User', name: 'jane' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'sa' },
      ],
    }) as unknown as RoleBinding;
    assert.deepEqual(b.roleRef, { kind: 'Role', name: 'r', apiGroup: G });
    assert.deepEqual(
      b.subjects?.map((s) => s.apiGroup),
      [G, G, undefined],
    );
  });

  test('names are path segments (a colon is fine, a slash is not)', () => {
    registry.create('clusterroles', {
      apiVersion: `${G}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'system:x' },
    });
    assert.throws(
      () =>
        registry.create('roles', {
          apiVersion: `${G}/v1`,
          kind: 'Role',
          metadata: { name: '..', namespace: 'default' },
        }),
      /metadata\.name: Invalid value: "\.\.": may not be '\.\.'/,
    );
  });

  test('a PUT of a missing role creates it (AllowCreateOnUpdate)', () => {
    const created = registry.updateIn(
      'roles',
      'default',
      'put-made',
      {
        apiVersion: `${G}/v1`,
        kind: 'Role',
        metadata: { name: 'put-made' },
        rules: [],
      } as KubeObject,
      false,
    );
    assert.ok(created.metadata.uid);
  });

  test('updating a binding’s roleRef is refused with 422', () => {
    const b = registry.get('rolebindings', 'default', 'b')!;
    (b as unknown as RoleBinding).roleRef.name = 'other';
    assert.throws(
      () => registry.update('rolebindings', b),
      (e: { code?: number; message?: string }) => {
        assert.equal(e.code, 422);
        assert.match(
          e.message ?? '',
          /RoleBinding\.rbac\.authorization\.k8s\.io "b" is invalid: roleRef: Invalid value: rbac\.RoleRef/,
        );
        return true;
      },
    );
  });
});
