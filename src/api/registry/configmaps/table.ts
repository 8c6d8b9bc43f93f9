/** `kubectl get configmaps` columns (printers.go printConfigMap): Name, Data, Age. */
import type { ConfigMap } from 'kubernetes-types/core/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// apiv1.ConfigMap{}.SwaggerDoc()["data"], v0.32.
const DATA_DOC =
  "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.";

export const configMapTable: TableConvertor<ConfigMap> = {
  columns: [NAME_COLUMN, column('Data', 'string', DATA_DOC), AGE_COLUMN],
  // Data counts both maps: validation keeps their keys disjoint.
  row: (cm, now) => [
    cm.metadata?.name ?? '',
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    ageOf(cm.metadata, now),
  ],
};
