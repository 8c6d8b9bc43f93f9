/**
 * Services. ClusterIP and NodePorts are allocated on create (and kept on update) by the
 * allocator, which reads what is taken from the store itself.
 */
import type { Service } from 'kubernetes-types/core/v1';
import { invalid } from '../../validation/field.js';
import { defineStrategy, resourceInfo } from '../define.js';
import type { ServiceAllocator } from './allocator.js';
import { defaultService } from './defaults.js';
import { serviceTable } from './table.js';
import { validateService, validateServiceUpdate } from './validation.js';

type Svc = Service;

export function serviceStrategy(alloc: ServiceAllocator) {
  return defineStrategy<Svc>({
    info: resourceInfo({
      resource: 'services',
      kind: 'Service',
      namespaced: true,
      shortNames: ['svc'],
      categories: ['all'],
    }),
    hasStatus: true,
    nameValidation: 'label1035',
    table: serviceTable,
    prepareForCreate: (svc) => {
      svc.status = { loadBalancer: {} };
    },
    prepareForUpdate: (svc, old) => {
      svc.status = structuredClone(old.status ?? { loadBalancer: {} });
    },
    defaults: (svc) => defaultService(svc),
    allocate: (svc, old) => {
      const errs = alloc.allocate(svc, old);
      if (errs.length) throw invalid('', 'Service', svc.metadata?.name ?? '', errs);
    },
    validate: (svc) => validateService(svc),
    validateUpdate: (svc, old) => validateServiceUpdate(svc, old),
  });
}
