/** `kubectl get namespaces` columns (printers.go printNamespace): Name, Status, Age. */
import type { Namespace } from 'kubernetes-types/core/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

export const namespaceTable: TableConvertor<Namespace> = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  row: (ns, now) => [ns.metadata?.name ?? '', ns.status?.phase ?? '', ageOf(ns.metadata, now)],
};
