/**
 * coordination.k8s.io/v1 Leases: the node's heartbeat lives in kube-node-lease (what
 * `kubectl describe node` shows under Lease), and controllers may use them for leader election.
 */
import type { Lease } from 'kubernetes-types/coordination/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { leaseTable } from './table.js';
import { validateLease } from './validation.js';

export const leaseStrategy = defineStrategy<Lease>({
  info: resourceInfo({ group: 'coordination.k8s.io', resource: 'leases', kind: 'Lease', namespaced: true }),
  table: leaseTable,
  validate: (l) => validateLease(l),
  validateUpdate: (l) => validateLease(l),
});
