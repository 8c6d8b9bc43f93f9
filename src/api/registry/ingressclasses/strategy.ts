import type { IngressClass } from 'kubernetes-types/networking/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { ingressClassTable } from './table.js';
import { validateIngressClass, validateIngressClassUpdate } from './validation.js';

/**
 * networking.k8s.io/v1 IngressClass (pkg/registry/networking/ingressclass): cluster-scoped, no
 * status, generation bumped on spec changes. SetDefaults_IngressClass: parameters.scope is Cluster.
 */
export const ingressClassStrategy = defineStrategy<IngressClass>({
  info: resourceInfo({
    group: 'networking.k8s.io',
    resource: 'ingressclasses',
    kind: 'IngressClass',
    namespaced: false,
  }),
  tracksGeneration: true,
  table: ingressClassTable,
  defaults: (ic) => {
    const p = ic.spec?.parameters as { scope?: string } | undefined;
    if (p && (p.scope === undefined || p.scope === null)) p.scope = 'Cluster';
  },
  validate: (ic) => validateIngressClass(ic),
  validateUpdate: (ic, old) => validateIngressClassUpdate(ic, old),
});
