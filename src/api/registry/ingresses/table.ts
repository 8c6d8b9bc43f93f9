/**
 * `kubectl get ingresses` columns (printers.go printIngress): Name, Class, Hosts, Address, Ports, Age.
 * Hosts lists the first three rule hosts (`*` when none has one); Ports is `80, 443` with TLS.
 */
import type { Ingress, IngressLoadBalancerStatus, IngressRule } from 'kubernetes-types/networking/v1';
import { compareGoStrings, NONE } from '../printers/cells.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

const MAX_HOSTS = 3;

/** formatHosts, including its count: `+ N more...` counts every remaining rule, host or not. */
export function formatHosts(rules: readonly IngressRule[] | undefined): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === MAX_HOSTS) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const joined = list.join(',');
  return more ? `${joined} + ${(rules?.length ?? 0) - MAX_HOSTS} more...` : joined;
}

/**
 * ingressLoadBalancerStatusStringer: each IP, else hostname, de-duplicated and sorted. The server
 * builds tables wide, so the 16-character clip of plain kubectl printing does not apply.
 */
export function ingressAddresses(status: IngressLoadBalancerStatus | undefined): string {
  const out = new Set<string>();
  for (const lb of status?.ingress ?? []) {
    if (lb.ip) out.add(lb.ip);
    else if (lb.hostname) out.add(lb.hostname);
  }
  return [...out].sort(compareGoStrings).join(',');
}

export const ingressTable: TableConvertor<Ingress> = {
  columns: [
    NAME_COLUMN,
    column(
      'Class',
      'string',
      'The name of the IngressClass resource that should be used for additional configuration',
    ),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE_COLUMN,
  ],
  row: (ing, now) => [
    ing.metadata?.name ?? '',
    ing.spec?.ingressClassName ?? NONE,
    formatHosts(ing.spec?.rules),
    ingressAddresses(ing.status?.loadBalancer),
    (ing.spec?.tls?.length ?? 0) > 0 ? '80, 443' : '80',
    ageOf(ing.metadata, now),
  ],
};
