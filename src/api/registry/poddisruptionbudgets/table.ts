/**
 * `kubectl get poddisruptionbudgets` columns (printers.go printPodDisruptionBudget):
 * Name, Min Available, Max Unavailable, Allowed Disruptions, Age. An unset bound prints N/A.
 */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

const bound = (v: number | string | undefined): string => (v === undefined ? 'N/A' : String(v));

export const podDisruptionBudgetTable: TableConvertor<PodDisruptionBudget> = {
  columns: [
    NAME_COLUMN,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COLUMN,
  ],
  row: (pdb, now) => [
    pdb.metadata?.name ?? '',
    bound(pdb.spec?.minAvailable),
    bound(pdb.spec?.maxUnavailable),
    pdb.status?.disruptionsAllowed ?? 0,
    ageOf(pdb.metadata, now),
  ],
};
