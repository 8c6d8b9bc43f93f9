import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RoleBinding } from 'kubernetes-types/rbac/v1';
import { clusterRoleBindingTable, roleBindingTable, roleTable } from './table.js';

const NOW = new Date('2026-01-02T00:00:00Z');
const G = 'rbac.authorization.k8s.io';

describe('rbac tables (printers.go)', () => {
  test('roles: Name, Created At as an RFC 3339 date', () => {
    assert.deepEqual(
      roleTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Created At', 'date', 0],
      ],
    );
    assert.deepEqual(
      roleTable.row({ metadata: { name: 'r', creationTimestamp: '2026-01-01T00:00:00Z' } }, NOW),
      ['r', '2026-01-01T00:00:00Z'],
    );
  });

  test('bindings: Name, Role as Kind/name, Age; wide Users, Groups, ServiceAccounts as namespace/name', () => {
    assert.deepEqual(
      roleBindingTable.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Role', 0],
        ['Age', 0],
        ['Users', 1],
        ['Groups', 1],
        ['ServiceAccounts', 1],
      ],
    );
    assert.equal(roleBindingTable.columns[3]!.description, 'Users in the roleBinding');
    assert.equal(clusterRoleBindingTable.columns[4]!.description, 'Groups in the clusterRoleBinding');
    const b: RoleBinding = {
      metadata: { name: 'b', creationTimestamp: '2026-01-01T00:00:00Z' },
      roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'edit' },
      subjects: [
        { kind: 'User', name: 'jane', apiGroup: G },
        { kind: 'ServiceAccount', name: 'dev', namespace: 'team' },
        { kind: 'User', name: 'bob', apiGroup: G },
        { kind: 'Group', name: 'ops', apiGroup: G },
      ],
    };
    assert.deepEqual(roleBindingTable.row(b, NOW), [
      'b',
      'ClusterRole/edit',
      '24h',
      'jane, bob',
      'ops',
      'team/dev',
    ]);
  });
});
