/**
 * Answers one question against the cluster zone, or says it is not ours (to be forwarded).
 * Pure: index + question + options → answer sections, so every rule is table-testable.
 *
 * Rules, as CoreDNS's kubernetes plugin:
 *  - names under the zone are authoritative: records, NODATA (NOERROR, SOA in authority) for a
 *    name that exists without that type, NXDOMAIN with SOA otherwise;
 *  - `<a-b-c-d>.<ns>.pod.<zone>`: the dashed IP itself ("pods insecure", kubeadm's default), or
 *    only IPs of pods in that namespace ("pods verified");
 *  - PTR for known IPs; an unknown IP inside an authoritative reverse range (the service and
 *    pod CIDRs) is NXDOMAIN; any other reverse or outside name is forwarded.
 */

import { isIPv4, isIPv6 } from 'node:net';
import type { Answer } from 'dns-packet';
import { type Cidr, cidrContains } from '../cidr.js';
import type { DnsRecord, ZoneIndex } from './records.js';

export type PodRecordMode = 'insecure' | 'verified' | 'disabled';

export interface ZoneOptions {
  /** Cluster domain without trailing dot, e.g. `cluster.local`. */
  zone: string;
  ttl: number;
  podMode: PodRecordMode;
  /** Reverse lookups of IPs inside these ranges are answered here (NXDOMAIN when unknown). */
  reverseCidrs: readonly Cidr[];
  /** SOA serial: the time the index was last rebuilt, in seconds (as CoreDNS uses). */
  serial: number;
}

export type ZoneAnswer =
  | { kind: 'forward' }
  | {
      kind: 'answer';
      rcode: 'NOERROR' | 'NXDOMAIN';
      answers: Answer[];
      authorities: Answer[];
      additionals: Answer[];
    };

/** A name from the wire: lower-case, no trailing dot. */
export const canonicalName = (name: string): string => name.toLowerCase().replace(/\.$/, '');

function soa(origin: string, o: ZoneOptions): Answer {
  return {
    type: 'SOA',
    name: origin,
    ttl: o.ttl,
    class: 'IN',
    data: {
      mname: `ns.dns.${o.zone}`,
      rname: `hostmaster.${o.zone}`,
      serial: o.serial,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: o.ttl,
    },
  };
}

function toAnswer(name: string, r: DnsRecord, ttl: number): Answer {
  const base = { name, ttl, class: 'IN' as const };
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { ...base, type: r.type, data: r.address };
    case 'CNAME':
    case 'PTR':
      return { ...base, type: r.type, data: r.target };
    case 'SRV':
      return {
        ...base,
        type: 'SRV',
        data: { priority: r.priority, weight: r.weight, port: r.port, target: r.target },
      };
  }
}

/** `1.0.96.10.in-addr.arpa` → `10.96.0.1`; nibble form for ip6.arpa; undefined if partial. */
export function reverseNameToIP(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    const ip = parts.reverse().join('.');
    return parts.length === 4 && isIPv4(ip) ? ip : undefined;
  }
  if (name.endsWith('.ip6.arpa')) {
    const nibbles = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((n) => /^[0-9a-f]$/.test(n))) return undefined;
    const hex = nibbles.reverse().join('');
    const ip = hex.match(/.{4}/g)!.join(':');
    return isIPv6(ip) ? canonicalIPv6(ip) : undefined;
  }
  return undefined;
}

/** The compressed text form (RFC 5952) the API stores, so reverse keys match its addresses. */
function canonicalIPv6(ip: string): string {
  return new URL(`http://[${ip}]`).hostname.slice(1, -1);
}

function podAddress(name: string, o: ZoneOptions, index: ZoneIndex): DnsRecord | undefined | 'no-such-pod' {
  const m = /^([^.]+)\.([^.]+)\.pod\.(.+)$/.exec(name);
  if (!m || m[3] !== o.zone || o.podMode === 'disabled') return undefined;
  const dashed = m[1]!;
  const v4 = dashed.replace(/-/g, '.');
  const v6 = dashed.replace(/-/g, ':');
  const ip = isIPv4(v4) ? v4 : isIPv6(v6) ? v6 : undefined;
  if (!ip) return 'no-such-pod';
  if (o.podMode === 'verified' && !index.podIPs.get(m[2]!)?.has(ip)) return 'no-such-pod';
  return isIPv4(ip) ? { type: 'A', address: ip } : { type: 'AAAA', address: ip };
}

function answered(answers: Answer[], additionals: Answer[] = []): ZoneAnswer {
  return { kind: 'answer', rcode: 'NOERROR', answers, authorities: [], additionals };
}

function negative(rcode: 'NOERROR' | 'NXDOMAIN', origin: string, o: ZoneOptions): ZoneAnswer {
  return { kind: 'answer', rcode, answers: [], authorities: [soa(origin, o)], additionals: [] };
}

function answerReverse(name: string, qtype: string, index: ZoneIndex, o: ZoneOptions): ZoneAnswer {
  const ip = reverseNameToIP(name);
  if (!ip) return { kind: 'forward' };
  const targets = index.reverse.get(ip);
  const ours = targets !== undefined || (isIPv4(ip) && o.reverseCidrs.some((c) => cidrContains(c, ip)));
  if (!ours) return { kind: 'forward' };
  const origin = name.endsWith('.in-addr.arpa') ? 'in-addr.arpa' : 'ip6.arpa';
  if (!targets) return negative('NXDOMAIN', origin, o);
  if (qtype !== 'PTR' && qtype !== 'ANY') return negative('NOERROR', origin, o);
  return answered(targets.map((t) => toAnswer(name, { type: 'PTR', target: t }, o.ttl)));
}

/** Address records for SRV targets, as CoreDNS puts them in the additional section. */
function srvAdditionals(answers: Answer[], index: ZoneIndex, ttl: number): Answer[] {
  const out: Answer[] = [];
  for (const a of answers) {
    if (a.type !== 'SRV') continue;
    for (const r of index.records.get(a.data.target) ?? []) {
      if (r.type === 'A' || r.type === 'AAAA') out.push(toAnswer(a.data.target, r, ttl));
    }
  }
  return out;
}

export function answerQuestion(qname: string, qtype: string, index: ZoneIndex, o: ZoneOptions): ZoneAnswer {
  const name = canonicalName(qname);
  if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa'))
    return answerReverse(name, qtype, index, o);
  if (name !== o.zone && !name.endsWith(`.${o.zone}`)) return { kind: 'forward' };

  if (name === o.zone && (qtype === 'SOA' || qtype === 'NS')) {
    if (qtype === 'SOA') return answered([soa(o.zone, o)]);
    return answered([{ type: 'NS', name: o.zone, ttl: o.ttl, class: 'IN', data: `ns.dns.${o.zone}` }]);
  }

  const pod = podAddress(name, o, index);
  if (pod === 'no-such-pod') return negative('NXDOMAIN', o.zone, o);
  if (pod) {
    if (qtype !== pod.type && qtype !== 'ANY') return negative('NOERROR', o.zone, o);
    return answered([toAnswer(name, pod, o.ttl)]);
  }

  const records = index.records.get(name);
  if (!records) return negative(index.names.has(name) ? 'NOERROR' : 'NXDOMAIN', o.zone, o);
  const cname = records.find((r) => r.type === 'CNAME');
  // A CNAME answers every type (the resolver chases the target outside the zone).
  const matching = cname ? [cname] : records.filter((r) => qtype === 'ANY' || r.type === qtype);
  if (matching.length === 0) return negative('NOERROR', o.zone, o);
  const answers = matching.map((r) => toAnswer(name, r, o.ttl));
  return answered(answers, srvAdditionals(answers, index, o.ttl));
}
