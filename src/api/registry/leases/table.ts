/** `kubectl get leases` columns (printers.go printLease): Name, Holder, Age. */
import type { Lease } from 'kubernetes-types/coordination/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// coordinationv1.LeaseSpec SwaggerDoc(), v0.32.
const HOLDER_DOC =
  'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.';

export const leaseTable: TableConvertor<Lease> = {
  columns: [NAME_COLUMN, column('Holder', 'string', HOLDER_DOC), AGE_COLUMN],
  row(lease, now) {
    return [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', ageOf(lease.metadata, now)];
  },
};
