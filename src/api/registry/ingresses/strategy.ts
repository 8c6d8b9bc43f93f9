import type { Ingress } from 'kubernetes-types/networking/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { ingressTable } from './table.js';
import { validateIngressCreate, validateIngressUpdate } from './validation.js';

/**
 * networking.k8s.io/v1 Ingress (pkg/registry/networking/ingress): status subresource (the ingress
 * controller writes status.loadBalancer), generation bumped on spec changes. No defaults: the
 * class comes from the DefaultIngressClass admission plugin, not from defaulting.
 */
export const ingressStrategy = defineStrategy<Ingress>({
  info: resourceInfo({
    group: 'networking.k8s.io',
    resource: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
  }),
  hasStatus: true,
  tracksGeneration: true,
  table: ingressTable,
  validateCreate: (i) => validateIngressCreate(i),
  validateUpdate: (i, old) => validateIngressUpdate(i, old),
});
