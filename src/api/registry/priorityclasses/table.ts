/**
 * `kubectl get priorityclasses` columns (printers.go printPriorityClass):
 * Name, Value, Global-Default, Age, PreemptionPolicy.
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { SCHEDULING_V1_DOCS } from '../../openapi/docs/scheduling-v1.generated.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

const doc = (f: string): string => SCHEDULING_V1_DOCS['scheduling.v1.PriorityClass']?.fields[f] ?? f;

export const priorityClassTable: TableConvertor<PriorityClass> = {
  columns: [
    NAME_COLUMN,
    column('Value', 'integer', doc('value')),
    column('Global-Default', 'boolean', doc('globalDefault')),
    AGE_COLUMN,
    column('PreemptionPolicy', 'string', doc('preemptionPolicy')),
  ],
  row: (pc, now) => [
    pc.metadata?.name ?? '',
    pc.value ?? 0,
    pc.globalDefault ?? false,
    ageOf(pc.metadata, now),
    pc.preemptionPolicy ?? '',
  ],
};
