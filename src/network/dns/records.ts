/**
 * The cluster zone's records, computed from Services, Endpoints and Pods as CoreDNS's
 * kubernetes plugin answers them (plugin/kubernetes/kubernetes.go, xfr.go). Pure: the same
 * objects always give the same index, so it is tested with plain tables.
 *
 *   <svc>.<ns>.svc.<zone>                      A/AAAA: clusterIPs; headless: endpoint IPs
 *   <ep>.<svc>.<ns>.svc.<zone>                 A/AAAA of one endpoint of a headless Service,
 *                                               <ep> = its hostname, or its IP with dashes
 *   _<port>._<proto>.<svc>.<ns>.svc.<zone>     SRV per named port (headless: per endpoint)
 *   <svc>.<ns>.svc.<zone>                      CNAME for type ExternalName
 *   reverse of a clusterIP / endpoint IP / pod IP   PTR
 * `<a-b-c-d>.<ns>.pod.<zone>` is answered by the lookup (zone.ts), not stored here.
 *
 * Names are stored lower-case without the trailing dot. Every ancestor of a stored name
 * inside the zone is recorded as existing, so it answers NODATA rather than NXDOMAIN (an
 * "empty non-terminal", as CoreDNS does for `<ns>.svc.<zone>`).
 */

import { isIPv4, isIPv6 } from 'node:net';
import type { EndpointAddress, Endpoints, Pod, Service } from 'kubernetes-types/core/v1';

export type DnsRecord =
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'CNAME' | 'PTR'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string };

export interface ZoneIndex {
  /** fqdn → records at that name. */
  readonly records: ReadonlyMap<string, readonly DnsRecord[]>;
  /** Every name that exists (has records, or is an ancestor of one) inside the zone. */
  readonly names: ReadonlySet<string>;
  /** IP → PTR targets. */
  readonly reverse: ReadonlyMap<string, readonly string[]>;
  /** ns → pod IPs that exist there (for `pods verified`). */
  readonly podIPs: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ZoneSources {
  zone: string;
  services: readonly Service[];
  endpoints: readonly Endpoints[];
  pods: readonly Pod[];
}

/** Dashed form of an IP, as upstream names endpoints and pods without a hostname. */
export function dashedIP(ip: string): string {
  return isIPv6(ip) ? ip.replace(/:/g, '-') : ip.replace(/\./g, '-');
}

const addressRecord = (ip: string): DnsRecord | undefined =>
  isIPv4(ip) ? { type: 'A', address: ip } : isIPv6(ip) ? { type: 'AAAA', address: ip } : undefined;

class IndexBuilder {
  readonly records = new Map<string, DnsRecord[]>();
  readonly names = new Set<string>();
  readonly reverse = new Map<string, string[]>();
  readonly podIPs = new Map<string, Set<string>>();
  readonly #zone: string;

  constructor(zone: string) {
    this.#zone = zone;
    this.names.add(zone);
  }

  add(name: string, rr: DnsRecord | undefined): void {
    if (!rr) return;
    const n = name.toLowerCase();
    const list = this.records.get(n) ?? [];
    if (!list.some((r) => JSON.stringify(r) === JSON.stringify(rr))) list.push(rr);
    this.records.set(n, list);
    // Mark the name and every ancestor down to the zone apex as existing.
    for (let cur = n; cur.length >= this.#zone.length; cur = cur.slice(cur.indexOf('.') + 1)) {
      this.names.add(cur);
      if (cur === this.#zone || !cur.includes('.')) break;
    }
  }

  addReverse(ip: string, target: string): void {
    const list = this.reverse.get(ip) ?? [];
    if (!list.includes(target)) list.push(target);
    this.reverse.set(ip, list);
  }

  /** SRV weights are shared out per name as CoreDNS does: floor(100 / count) each. */
  finishSrvWeights(): void {
    for (const list of this.records.values()) {
      const srv = list.filter((r) => r.type === 'SRV');
      for (const r of srv) if (r.type === 'SRV') r.weight = Math.floor(100 / srv.length);
    }
  }
}

function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

function clusterIPs(svc: Service): string[] {
  const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : [svc.spec?.clusterIP ?? ''];
  return ips.filter((ip) => ip && ip !== 'None');
}

function endpointLabel(a: EndpointAddress): string {
  return (a.hostname || dashedIP(a.ip)).toLowerCase();
}

function addService(b: IndexBuilder, zone: string, svc: Service, ep: Endpoints | undefined): void {
  const ns = svc.metadata?.namespace ?? 'default';
  const base = `${svc.metadata?.name}.${ns}.svc.${zone}`.toLowerCase();
  if (svc.spec?.type === 'ExternalName') {
    if (svc.spec.externalName)
      b.add(base, { type: 'CNAME', target: svc.spec.externalName.replace(/\.$/, '') });
    return;
  }
  if (!isHeadless(svc)) {
    for (const ip of clusterIPs(svc)) {
      b.add(base, addressRecord(ip));
      b.addReverse(ip, base);
    }
    for (const p of svc.spec?.ports ?? []) {
      if (!p.name) continue;
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      b.add(`_${p.name}._${proto}.${base}`, {
        type: 'SRV',
        priority: 0,
        weight: 100,
        port: p.port,
        target: base,
      });
    }
    return;
  }
  // Headless: the ready endpoints (and not-ready ones when the Service publishes them).
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  for (const subset of ep?.subsets ?? []) {
    const addrs = [...(subset.addresses ?? []), ...(publishNotReady ? (subset.notReadyAddresses ?? []) : [])];
    for (const a of addrs) {
      const host = `${endpointLabel(a)}.${base}`;
      b.add(base, addressRecord(a.ip));
      b.add(host, addressRecord(a.ip));
      b.addReverse(a.ip, host);
      for (const p of subset.ports ?? []) {
        if (!p.name) continue;
        const proto = (p.protocol ?? 'TCP').toLowerCase();
        b.add(`_${p.name}._${proto}.${base}`, {
          type: 'SRV',
          priority: 0,
          weight: 100,
          port: p.port,
          target: host,
        });
      }
    }
  }
}

export function buildZoneIndex(src: ZoneSources): ZoneIndex {
  const zone = src.zone.toLowerCase().replace(/\.$/, '');
  const b = new IndexBuilder(zone);
  const endpointsByKey = new Map(
    src.endpoints.map((e) => [`${e.metadata?.namespace}/${e.metadata?.name}`, e]),
  );
  for (const svc of src.services) {
    addService(b, zone, svc, endpointsByKey.get(`${svc.metadata?.namespace}/${svc.metadata?.name}`));
  }
  for (const pod of src.pods) {
    const ns = pod.metadata?.namespace ?? 'default';
    const ips = pod.status?.podIPs?.map((p) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
    for (const ip of ips) {
      if (!ip || pod.spec?.hostNetwork) continue;
      const set = b.podIPs.get(ns) ?? new Set<string>();
      set.add(ip);
      b.podIPs.set(ns, set);
      // A pod IP that is no endpoint of any Service still resolves back to its pod name.
      if (!b.reverse.has(ip)) b.addReverse(ip, `${dashedIP(ip)}.${ns}.pod.${zone}`);
    }
  }
  b.finishSrvWeights();
  return b;
}
