/**
 * Namespaces. A new one is Active; deletion goes through Terminating (spec.finalizers holds
 * `kubernetes` until the namespace controller has removed the contents).
 */
import type { Namespace } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultNamespace } from './defaults.js';
import { namespaceTable } from './table.js';
import { validateNamespace, validateNamespaceUpdate } from './validation.js';

export const namespaceStrategy = defineStrategy<Namespace>({
  info: resourceInfo({ resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'] }),
  hasStatus: true,
  nameValidation: 'label',
  table: namespaceTable,
  prepareForCreate: (ns) => {
    ns.status = { phase: 'Active' };
  },
  prepareForUpdate: (ns, old) => {
    ns.status = structuredClone(old.status ?? { phase: 'Active' });
  },
  defaults: (ns) => defaultNamespace(ns),
  validate: (ns) => validateNamespace(ns),
  validateUpdate: (ns, old) => validateNamespaceUpdate(ns, old),
});
