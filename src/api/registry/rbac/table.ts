/**
 * `kubectl get` columns of the RBAC kinds (printers.go): roles and clusterroles show Name and Created At
 * (an RFC 3339 date, not an age); bindings show Name, Role (`Kind/name`), Age and, with -o wide, their
 * Users, Groups and ServiceAccounts (`namespace/name`), as rbac.SubjectsStrings lists them.
 */

import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import {
  AGE_COLUMN,
  column,
  NAME_COLUMN,
  OBJECT_META_CREATION_TIMESTAMP_DOC,
  wideColumn,
} from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// rbacv1beta1.RoleBinding / ClusterRoleBinding SwaggerDoc()["roleRef"], v0.32 (what printers.go cites).
const ROLE_BINDING_ROLE_DOC =
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.';
const CLUSTER_ROLE_BINDING_ROLE_DOC =
  'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.';

/** Role and ClusterRole: Name, Created At. */
export const roleTable: TableConvertor<{ metadata?: ObjectMeta }> = {
  columns: [NAME_COLUMN, column('Created At', 'date', OBJECT_META_CREATION_TIMESTAMP_DOC)],
  row: (role) => [role.metadata?.name ?? '', role.metadata?.creationTimestamp ?? ''],
};

/** rbac.SubjectsStrings: users, groups and `namespace/name` service accounts, in subject order. */
export function subjectsStrings(subjects: readonly Subject[] | undefined): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users, groups, sas];
}

function bindingTable<T extends RoleBinding | ClusterRoleBinding>(
  roleDoc: string,
  what: string,
): TableConvertor<T> {
  return {
    columns: [
      NAME_COLUMN,
      column('Role', 'string', roleDoc),
      AGE_COLUMN,
      wideColumn('Users', 'string', `Users in the ${what}`),
      wideColumn('Groups', 'string', `Groups in the ${what}`),
      wideColumn('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`),
    ],
    row(b, now) {
      const [users, groups, sas] = subjectsStrings(b.subjects);
      return [
        b.metadata?.name ?? '',
        `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
        ageOf(b.metadata, now),
        users.join(', '),
        groups.join(', '),
        sas.join(', '),
      ];
    },
  };
}

export const roleBindingTable = bindingTable<RoleBinding>(ROLE_BINDING_ROLE_DOC, 'roleBinding');
export const clusterRoleBindingTable = bindingTable<ClusterRoleBinding>(
  CLUSTER_ROLE_BINDING_ROLE_DOC,
  'clusterRoleBinding',
);
