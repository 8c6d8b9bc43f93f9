/**
 * `kubectl get ingressclasses` columns (printers.go printIngressClass): Name, Controller,
 * Parameters (`Kind[.apiGroup]/name`, or <none>), Age.
 */
import type { IngressClass } from 'kubernetes-types/networking/v1';
import { NONE } from '../printers/cells.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

function parametersCell(ic: IngressClass): string {
  const p = ic.spec?.parameters;
  if (!p) return NONE;
  const kind = p.apiGroup !== undefined && p.apiGroup !== null ? `${p.kind}.${p.apiGroup}` : p.kind;
  return `${kind}/${p.name}`;
}

export const ingressClassTable: TableConvertor<IngressClass> = {
  columns: [
    NAME_COLUMN,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE_COLUMN,
  ],
  row: (ic, now) => [
    ic.metadata?.name ?? '',
    ic.spec?.controller ?? '',
    parametersCell(ic),
    ageOf(ic.metadata, now),
  ],
};
