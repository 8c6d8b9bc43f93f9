import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultDaemonSet } from './defaults.js';
import { daemonSetTable } from './table.js';
import { prepareDaemonSetForCreate, prepareDaemonSetForUpdate } from './template-generation.js';
import { validateDaemonSet, validateDaemonSetUpdate } from './validation.js';

/** apps/v1 DaemonSet (pkg/registry/apps/daemonset): status subresource, generation on spec changes. */
export const daemonSetStrategy = defineStrategy<DaemonSet>({
  info: resourceInfo({
    group: 'apps',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
  }),
  hasStatus: true,
  tracksGeneration: true,
  table: daemonSetTable,
  prepareForCreate: (d) => prepareDaemonSetForCreate(d),
  prepareForUpdate: (d, old) => prepareDaemonSetForUpdate(d, old),
  defaults: (d) => defaultDaemonSet(d),
  validate: (d) => validateDaemonSet(d),
  validateUpdate: (d, old) => validateDaemonSetUpdate(d, old),
});
