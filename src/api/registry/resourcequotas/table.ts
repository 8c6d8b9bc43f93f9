/**
 * `kubectl get resourcequotas` columns (printers.go printResourceQuota): Name, Age, Request and
 * Limit. Each of spec.hard's names (sorted) is printed as `name: used/hard` from status, in Limit
 * when it starts with `limits.`, in Request otherwise: `pods: 1/2, requests.cpu: 500m/1`. A name
 * the controller has not counted yet reads 0, as a missing Quantity prints.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

const REQUEST_DOC = 'Request represents a minimum amount of cpu/memory that a container may consume.';
const LIMIT_DOC =
  'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.';

export const resourceQuotaTable: TableConvertor<ResourceQuota> = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('Request', 'string', REQUEST_DOC),
    column('Limit', 'string', LIMIT_DOC),
  ],
  row: (rq, now) => {
    const request: string[] = [];
    const limit: string[] = [];
    const used = (rq.status?.used ?? {}) as Record<string, string>;
    const hard = (rq.status?.hard ?? {}) as Record<string, string>;
    for (const name of Object.keys(rq.spec?.hard ?? {}).sort()) {
      const cell = `${name}: ${used[name] ?? '0'}/${hard[name] ?? '0'}`;
      (name.split('.')[0] === 'limits' && name.includes('.') ? limit : request).push(cell);
    }
    return [rq.metadata?.name ?? '', ageOf(rq.metadata, now), request.join(', '), limit.join(', ')];
  },
};
