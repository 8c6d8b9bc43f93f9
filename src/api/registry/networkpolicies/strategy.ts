/**
 * networking.k8s.io/v1 NetworkPolicies (short name `netpol`), as pkg/registry/networking/networkpolicy:
 * no status, generation 1 on create and moved on by spec changes. The node's policy enforcer
 * (src/network/policy) turns them into nftables rules.
 */
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultNetworkPolicy } from './defaults.js';
import { networkPolicyTable } from './table.js';
import { validateNetworkPolicy, validateNetworkPolicyUpdate } from './validation.js';

export const networkPolicyStrategy = defineStrategy<NetworkPolicy>({
  info: resourceInfo({
    group: 'networking.k8s.io',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
    shortNames: ['netpol'],
  }),
  tracksGeneration: true,
  table: networkPolicyTable,
  defaults: (np) => defaultNetworkPolicy(np),
  validate: (np) => validateNetworkPolicy(np),
  validateUpdate: (np, old) => validateNetworkPolicyUpdate(np, old),
});
