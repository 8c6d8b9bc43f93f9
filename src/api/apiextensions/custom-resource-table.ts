/**
 * `kubectl get <custom resource>` columns, as apiextensions-apiserver's tableconvertor: Name, then
 * the version's additionalPrinterColumns (or Age alone when it declares none); a `date` cell is
 * the value's age, a missing value prints <none>.
 */
import type { CustomResourceColumnDefinition } from 'kubernetes-types/apiextensions/v1';
import { NONE } from '../registry/printers/cells.js';
import { NAME_COLUMN } from '../registry/printers/columns.js';
import { translateTimestampSince } from '../registry/printers/timestamps.js';
import type { TableColumnDefinition, TableConvertor } from '../registry/table.js';
import type { KubeObject } from '../types.js';
import { evalJSONPath } from './jsonpath.js';

const DEFAULT_COLUMNS: CustomResourceColumnDefinition[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export function customResourceTable(
  columns: readonly CustomResourceColumnDefinition[] | undefined,
): TableConvertor {
  const cols = columns && columns.length > 0 ? columns : DEFAULT_COLUMNS;
  return {
    columns: [
      NAME_COLUMN,
      ...cols.map(
        (c): TableColumnDefinition => ({
          name: c.name,
          type: c.type as TableColumnDefinition['type'],
          format: c.format ?? '',
          description:
            c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          priority: c.priority ?? 0,
        }),
      ),
    ],
    row: (obj: KubeObject, now: Date) => [
      obj.metadata?.name ?? '',
      ...cols.map((c) => {
        const v = evalJSONPath(obj, c.jsonPath);
        if (v === undefined || v === null) return NONE;
        if (c.type === 'date') return translateTimestampSince(v, now, c.jsonPath);
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
        return JSON.stringify(v);
      }),
    ],
  };
}
