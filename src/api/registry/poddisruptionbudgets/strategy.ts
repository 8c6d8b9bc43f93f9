/**
 * policy/v1 PodDisruptionBudgets (pkg/registry/policy/poddisruptionbudget), short name `pdb`, with
 * the status subresource: a new budget starts with empty status and generation 1, a spec change
 * bumps the generation (the disruption controller reports observedGeneration). The status is the
 * disruption controller's (src/controllers/disruption) and the eviction subresource's, which spends
 * disruptionsAllowed (../pods/eviction.ts).
 */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { podDisruptionBudgetTable } from './table.js';
import { validatePodDisruptionBudget } from './validation.js';

export const podDisruptionBudgetStrategy = defineStrategy<PodDisruptionBudget>({
  info: resourceInfo({
    group: 'policy',
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
  }),
  hasStatus: true,
  tracksGeneration: true,
  table: podDisruptionBudgetTable,
  prepareForCreate: (pdb) => {
    // PodDisruptionBudgetStatus{}: its four counts have no omitempty, so they print as 0.
    pdb.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate: (pdb) => validatePodDisruptionBudget(pdb),
});
