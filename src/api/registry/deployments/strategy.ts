import type { Deployment } from 'kubernetes-types/apps/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultDeployment } from './defaults.js';
import { deploymentTable } from './table.js';
import { validateDeployment, validateDeploymentUpdate } from './validation.js';

export const deploymentStrategy = defineStrategy<Deployment>({
  info: resourceInfo({
    group: 'apps',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
  }),
  hasStatus: true,
  tracksGeneration: true,
  table: deploymentTable,
  defaults: (d) => defaultDeployment(d),
  validate: (d) => validateDeployment(d),
  validateUpdate: (d, old) => validateDeploymentUpdate(d, old),
});
