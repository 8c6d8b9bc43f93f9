import type { Endpoints } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultEndpoints } from './defaults.js';
import { endpointsTable } from './table.js';
import { validateEndpoints, validateEndpointsUpdate } from './validation.js';

export const endpointsStrategy = defineStrategy<Endpoints>({
  info: resourceInfo({ resource: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] }),
  allowCreateOnUpdate: true,
  table: endpointsTable,
  defaults: (e) => defaultEndpoints(e),
  validate: (e) => validateEndpoints(e),
  validateUpdate: (e, old) => validateEndpointsUpdate(e, old),
});
