/**
 * rbac.authorization.k8s.io/v1: Role and RoleBinding (namespaced), ClusterRole and ClusterRoleBinding
 * (cluster-scoped), as pkg/registry/rbac/{role,rolebinding,clusterrole,clusterrolebinding}/strategy.go.
 * Names are path segments; a PUT of a missing object creates it (AllowCreateOnUpdate). What a requester may write is checked apart, before validation, by the
 * escalation guard (../../auth/rbac/escalation.ts), as upstream's policybased storage wraps these.
 */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultBinding } from './defaults.js';
import { clusterRoleBindingTable, roleBindingTable, roleTable } from './table.js';
import {
  RBAC_GROUP,
  validateBindingUpdate,
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from './validation.js';

const info = (resource: string, kind: string, namespaced: boolean) =>
  resourceInfo({ group: RBAC_GROUP, resource, kind, namespaced });

export const roleStrategy = defineStrategy<Role>({
  info: info('roles', 'Role', true),
  table: roleTable,
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  validate: validateRole,
});

export const roleBindingStrategy = defineStrategy<RoleBinding>({
  info: info('rolebindings', 'RoleBinding', true),
  table: roleBindingTable,
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  defaults: defaultBinding,
  validate: validateRoleBinding,
  validateUpdate: validateBindingUpdate,
});

export const clusterRoleStrategy = defineStrategy<ClusterRole>({
  info: info('clusterroles', 'ClusterRole', false),
  table: roleTable,
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  validate: validateClusterRole,
});

export const clusterRoleBindingStrategy = defineStrategy<ClusterRoleBinding>({
  info: info('clusterrolebindings', 'ClusterRoleBinding', false),
  table: clusterRoleBindingTable,
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  defaults: defaultBinding,
  validate: validateClusterRoleBinding,
  validateUpdate: validateBindingUpdate,
});
