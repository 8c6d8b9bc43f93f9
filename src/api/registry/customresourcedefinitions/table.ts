/**
 * `kubectl get crd` columns: CRDs have no printer in printers.go, so kube-apiserver answers with
 * the default table convertor (rest.NewDefaultTableConvertor): Name, Created At (the timestamp).
 */
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1';
import { NAME_COLUMN, OBJECT_META_CREATION_TIMESTAMP_DOC } from '../printers/columns.js';
import type { TableConvertor } from '../table.js';

export const customResourceDefinitionTable: TableConvertor<CustomResourceDefinition> = {
  columns: [
    NAME_COLUMN,
    {
      name: 'Created At',
      type: 'date',
      format: '',
      description: OBJECT_META_CREATION_TIMESTAMP_DOC,
      priority: 0,
    },
  ],
  row: (crd) => [crd.metadata?.name ?? '', crd.metadata?.creationTimestamp ?? ''],
};
