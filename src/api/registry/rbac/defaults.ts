/**
 * rbac/v1 defaults (pkg/apis/rbac/v1/defaults.go): a binding's roleRef.apiGroup and a User or Group
 * subject's apiGroup default to rbac.authorization.k8s.io; a ServiceAccount subject's stays empty.
 */
import type { ClusterRoleBinding, RoleBinding } from 'kubernetes-types/rbac/v1';
import { RBAC_GROUP } from './validation.js';

export function defaultBinding(b: RoleBinding | ClusterRoleBinding): void {
  if (b.roleRef && !b.roleRef.apiGroup) (b.roleRef as { apiGroup: string }).apiGroup = RBAC_GROUP;
  for (const s of b.subjects ?? []) {
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group'))
      (s as { apiGroup?: string }).apiGroup = RBAC_GROUP;
  }
}
