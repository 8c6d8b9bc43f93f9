/**
 * What the data path should do, computed from API objects: the pure first half of the proxy
 * (the second is ruleset.ts, which renders this as nftables text). As kube-proxy's
 * servicePortInfo/endpointInfo: one entry per (Service, port), with the ready endpoints for
 * that port, and one entry per container hostPort.
 *
 * Contracts:
 *  - endpoints come from the Service's EndpointSlices, merged as endpoint-slices.ts says
 *    (every slice labelled with the Service's name, duplicates once, first address only);
 *  - traffic goes to the ready endpoints, or, when none is ready, to those serving while
 *    terminating (usableEndpoints); the EndpointSlice controller marks every endpoint ready
 *    when the Service publishes not-ready addresses;
 *  - a Service port matches the slice port with the same name (both empty for a single
 *    unnamed port) and protocol; the slice port is the resolved targetPort, which is how
 *    named targetPorts work without the proxy reading pods;
 *  - headless and ExternalName Services have no ClusterIP and get no rules;
 *  - output is sorted, so the same objects always render the same text.
 */
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { serviceKey, servicePortEndpoints, slicesByService, usableEndpoints } from '../endpoint-slices.js';

export type L4Protocol = 'tcp' | 'udp' | 'sctp';

export interface EndpointTarget {
  ip: string;
  port: number;
}

export interface ServicePortPlan {
  /** `<ns>/<name>/<proto>/<port name>`: kube-proxy's chain-name base. */
  id: string;
  /** First 8 characters of base32(sha256(id)): keeps names unique after truncation. */
  hash: string;
  clusterIPs: string[];
  protocol: L4Protocol;
  port: number;
  nodePort?: number;
  /** Seconds; present when sessionAffinity is ClientIP. */
  affinitySeconds?: number;
  /** Ready endpoints, sorted by IP then port. */
  endpoints: EndpointTarget[];
}

export interface HostPortPlan {
  /** `<ns>/<pod>/<proto>/<hostPort>`. */
  id: string;
  hash: string;
  protocol: L4Protocol;
  hostIP?: string;
  hostPort: number;
  podIP: string;
  containerPort: number;
}

export interface ProxyPlan {
  servicePorts: ServicePortPlan[];
  hostPorts: HostPortPlan[];
}

/** Upstream's default ClientIP affinity timeout (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function shortHash(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 8) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= 8) break;
  }
  return out;
}

const proto = (p: string | undefined): L4Protocol => (p ?? 'TCP').toLowerCase() as L4Protocol;

/** The endpoints one Service port sends to, sorted by IP (numerically) then port. */
function targetsOf(
  slices: readonly EndpointSlice[],
  portName: string,
  protocol: L4Protocol,
): EndpointTarget[] {
  const usable = usableEndpoints(servicePortEndpoints(slices, portName, protocol, 4));
  const key = (e: EndpointTarget) =>
    `${e.ip
      .split('.')
      .map((o) => o.padStart(3, '0'))
      .join('.')}:${String(e.port).padStart(5, '0')}`;
  return usable
    .map((e): [string, EndpointTarget] => [key(e), { ip: e.ip, port: e.port }])
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, e]) => e);
}

function servicePorts(svc: Service, slices: readonly EndpointSlice[]): ServicePortPlan[] {
  const spec = svc.spec;
  if (!spec || spec.type === 'ExternalName') return [];
  const ips = (spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP ?? '']).filter((ip) => isIPv4(ip));
  if (ips.length === 0) return [];
  const affinity =
    spec.sessionAffinity === 'ClientIP'
      ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS)
      : undefined;
  return (spec.ports ?? []).map((p) => {
    const protocol = proto(p.protocol);
    const id = `${svc.metadata?.namespace}/${svc.metadata?.name}/${protocol}/${p.name ?? ''}`;
    const nodePort = spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? p.nodePort : undefined;
    return {
      id,
      hash: shortHash(id),
      clusterIPs: ips,
      protocol,
      port: p.port,
      ...(nodePort ? { nodePort } : {}),
      ...(affinity !== undefined ? { affinitySeconds: affinity } : {}),
      endpoints: targetsOf(slices, p.name ?? '', protocol),
    };
  });
}

/** hostPorts of running pods that have an IP (the CNI portmap plugin's job on a cluster). */
function hostPorts(pod: Pod): HostPortPlan[] {
  const podIP = pod.status?.podIP;
  if (!podIP || !isIPv4(podIP) || pod.spec?.hostNetwork) return [];
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return [];
  const out: HostPortPlan[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const protocol = proto(p.protocol);
      const id = `${pod.metadata?.namespace}/${pod.metadata?.name}/${protocol}/${p.hostPort}`;
      out.push({
        id,
        hash: shortHash(id),
        protocol,
        ...(p.hostIP && p.hostIP !== '0.0.0.0' ? { hostIP: p.hostIP } : {}),
        hostPort: p.hostPort,
        podIP,
        containerPort: p.containerPort,
      });
    }
  }
  return out;
}

export function computeProxyPlan(
  services: readonly Service[],
  endpointSlices: readonly EndpointSlice[],
  pods: readonly Pod[],
): ProxyPlan {
  const byService = slicesByService(endpointSlices);
  const sp = services.flatMap((s) =>
    servicePorts(s, byService.get(serviceKey(s.metadata?.namespace, s.metadata?.name)) ?? []),
  );
  const hp = pods.flatMap(hostPorts);
  return {
    servicePorts: sp.sort((a, b) => a.id.localeCompare(b.id)),
    hostPorts: hp.sort((a, b) => a.id.localeCompare(b.id)),
  };
}
