/**
 * scheduling.k8s.io/v1 PriorityClasses (pkg/registry/scheduling/priorityclass), cluster-scoped,
 * short name `pc`. preemptionPolicy defaults to PreemptLowerPriority (SetDefaults_PriorityClass).
 * The system classes are created at start (src/server/bootstrap.ts); the Priority admission plugin
 * (../../admission/priority.ts) resolves pods' priorityClassName against them and keeps a single
 * globalDefault.
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { priorityClassTable } from './table.js';
import { validatePriorityClass, validatePriorityClassUpdate } from './validation.js';

export const priorityClassStrategy = defineStrategy<PriorityClass>({
  info: resourceInfo({
    group: 'scheduling.k8s.io',
    resource: 'priorityclasses',
    kind: 'PriorityClass',
    namespaced: false,
    shortNames: ['pc'],
  }),
  table: priorityClassTable,
  defaults: (pc) => {
    const w = pc as { value?: number; preemptionPolicy?: string };
    // value is a non-omitempty int32: a missing one is 0.
    w.value ??= 0;
    w.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  // Upstream validates the class on create only; an update checks immutability alone.
  validateCreate: (pc) => validatePriorityClass(pc),
  validateUpdate: (pc, old) => validatePriorityClassUpdate(pc, old),
});
