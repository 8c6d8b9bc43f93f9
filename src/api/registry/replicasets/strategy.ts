import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultReplicaSet } from './defaults.js';
import { replicaSetTable } from './table.js';
import { validateReplicaSet, validateReplicaSetUpdate } from './validation.js';

export const replicaSetStrategy = defineStrategy<ReplicaSet>({
  info: resourceInfo({
    group: 'apps',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
  }),
  hasStatus: true,
  tracksGeneration: true,
  table: replicaSetTable,
  defaults: (r) => defaultReplicaSet(r),
  validate: (r) => validateReplicaSet(r),
  validateUpdate: (r, old) => validateReplicaSetUpdate(r, old),
});
