import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { controllerRevisionTable } from './table.js';
import { validateControllerRevision, validateControllerRevisionUpdate } from './validation.js';

/** apps/v1 ControllerRevision (pkg/registry/apps/controllerrevision): no status, no generation. */
export const controllerRevisionStrategy = defineStrategy<ControllerRevision>({
  info: resourceInfo({
    group: 'apps',
    resource: 'controllerrevisions',
    kind: 'ControllerRevision',
    namespaced: true,
  }),
  table: controllerRevisionTable,
  validate: (r) => validateControllerRevision(r),
  validateUpdate: (r, old) => validateControllerRevisionUpdate(r, old),
});
