import type { ServiceAccount } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { serviceAccountTable } from './table.js';
import { validateServiceAccount, validateServiceAccountUpdate } from './validation.js';

export const serviceAccountStrategy = defineStrategy<ServiceAccount>({
  info: resourceInfo({
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
  }),
  table: serviceAccountTable,
  validate: (sa) => validateServiceAccount(sa),
  validateUpdate: (sa, old) => validateServiceAccountUpdate(sa, old),
});
