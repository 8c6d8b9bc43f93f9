/**
 * `kubectl get limitranges` columns (printers.go printLimitRange): Name and Created At, the
 * creation timestamp itself (a `date` cell, RFC 3339), not an age.
 */
import type { LimitRange } from 'kubernetes-types/core/v1';
import { column, NAME_COLUMN, OBJECT_META_CREATION_TIMESTAMP_DOC } from '../printers/columns.js';
import type { TableConvertor } from '../table.js';

export const limitRangeTable: TableConvertor<LimitRange> = {
  columns: [NAME_COLUMN, column('Created At', 'date', OBJECT_META_CREATION_TIMESTAMP_DOC)],
  row: (lr) => [lr.metadata?.name ?? '', lr.metadata?.creationTimestamp ?? ''],
};
