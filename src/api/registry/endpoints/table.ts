/** `kubectl get endpoints` columns (printers.go printEndpoints): Name, Endpoints, Age. */
import type { Endpoints } from 'kubernetes-types/core/v1';
import { NONE } from '../printers/cells.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { joinHostPort } from '../printers/ports.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// apiv1.Endpoints{}.SwaggerDoc()["subsets"], v0.32.
const SUBSETS_DOC =
  'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.';

/** How many addresses the cell lists before "+ N more...". */
const MAX_LISTED = 3;

export const endpointsTable: TableConvertor<Endpoints> = {
  columns: [NAME_COLUMN, column('Endpoints', 'string', SUBSETS_DOC), AGE_COLUMN],
  row: (ep, now) => [ep.metadata?.name ?? '', formatEndpoints(ep), ageOf(ep.metadata, now)],
};

/**
 * printers.go formatEndpoints (all ports): ready addresses only, "ip:port" for every port of a
 * subset (bare IPs for a subset without ports), at most three listed, then "+ N more..." where
 * N counts every address:port pair left out. "<none>" without subsets; "" if they hold none.
 */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return NONE;
  const listed: string[] = [];
  let total = 0;
  let more = false;
  const add = (entry: string): boolean => {
    if (listed.length === MAX_LISTED) {
      more = true;
      return false;
    }
    listed.push(entry);
    return true;
  };
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      // Headless services may publish endpoints without ports.
      total += addresses.length;
      for (const address of addresses) if (!add(address.ip)) break;
      continue;
    }
    for (const port of ports) {
      total += addresses.length;
      for (const address of addresses) if (!add(joinHostPort(address.ip, port.port))) break;
    }
  }
  const joined = listed.join(',');
  return more ? `${joined} + ${total - MAX_LISTED} more...` : joined;
}
