/**
 * The cluster zone's records, computed from Services, EndpointSlices and Pods as CoreDNS's
 * kubernetes plugin answers them (plugin/kubernetes/kubernetes.go, xfr.go, and
 * object/endpoint.go for how slices become endpoints). Pure: the same
 * objects always give the same index, so it is tested with plain tables.
 *
 *   <svc>.<ns>.svc.<zone>                      A/AAAA: clusterIPs; headless: endpoint IPs
 *   <ep>.<svc>.<ns>.svc.<zone>                 A/AAAA of one endpoint of a headless Service,
 *                                               <ep> = its hostname, or its IP with dashes;
 *                                               ready endpoints of every slice of the Service,
 *                                               not-ready ones too when the Service sets
 *                                               publishNotReadyAddresses
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
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { conditionsOf, serviceKey, slicesByService } from '../endpoint-slices.js';

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
  endpointSlices: readonly EndpointSlice[];
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

function endpointLabel(hostname: string | undefined, ip: string): string {
  return (hostname || dashedIP(ip)).toLowerCase();
}

function addService(b: IndexBuilder, zone: string, svc: Service, slices: readonly EndpointSlice[]): void {
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
  // Headless: the ready endpoints of every slice (and not-ready ones when the Service publishes
  // them; the EndpointSlice controller already marks those ready, a hand-written slice may not).
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      if (!publishNotReady && !conditionsOf(ep).ready) continue;
      for (const ip of ep.addresses ?? []) {
        const host = `${endpointLabel(ep.hostname, ip)}.${base}`;
        b.add(base, addressRecord(ip));
        b.add(host, addressRecord(ip));
        b.addReverse(ip, host);
        for (const p of slice.ports ?? []) {
          if (!p.name || !p.port) continue;
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
}

export function buildZoneIndex(src: ZoneSources): ZoneIndex {
  const zone = src.zone.toLowerCase().replace(/\.$/, '');
  const b = new IndexBuilder(zone);
  const byService = slicesByService(src.endpointSlices);
  for (const svc of src.services) {
    addService(b, zone, svc, byService.get(serviceKey(svc.metadata?.namespace, svc.metadata?.name)) ?? []);
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
