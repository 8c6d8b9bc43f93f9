import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultStatefulSet } from './defaults.js';
import { statefulSetTable } from './table.js';
import { validateStatefulSet, validateStatefulSetUpdate } from './validation.js';

/** apps/v1 StatefulSet (pkg/registry/apps/statefulset): status and scale subresources, generation. */
export const statefulSetStrategy = defineStrategy<StatefulSet>({
  info: resourceInfo({
    group: 'apps',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
  }),
  hasStatus: true,
  tracksGeneration: true,
  table: statefulSetTable,
  defaults: (s) => defaultStatefulSet(s),
  validate: (s) => validateStatefulSet(s),
  // The selector is one of the spec fields validateStatefulSetUpdate keeps fixed.
  validateUpdate: (s, old) => validateStatefulSetUpdate(s, old),
});
