/**
 * What the data path should do, computed from API objects: the pure first half of the proxy
 * (the second is ruleset.ts, which renders this as nftables text). As kube-proxy's
 * servicePortInfo/endpointInfo: one entry per (Service, port), with the ready endpoints for
 * that port, and one entry per container hostPort.
 *
 * Contracts:
 *  - endpoints come from Endpoints `addresses` only (the endpoints controller puts not-ready
 *    pods in `notReadyAddresses`, or in `addresses` when the Service publishes them);
 *  - a Service port matches the Endpoints port with the same name (both empty for a single
 *    unnamed port) and protocol; the Endpoints port is the resolved targetPort, which is how
 *    named targetPorts work without the proxy reading pods;
 *  - headless and ExternalName Services have no ClusterIP and get no rules;
 *  - output is sorted, so the same objects always render the same text.
 */
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';

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

function readyEndpoints(ep: Endpoints | undefined, portName: string, protocol: L4Protocol): EndpointTarget[] {
  const out: EndpointTarget[] = [];
  for (const subset of ep?.subsets ?? []) {
    const port = (subset.ports ?? []).find(
      (p) => (p.name ?? '') === portName && proto(p.protocol) === protocol,
    );
    if (!port) continue;
    for (const a of subset.addresses ?? []) if (isIPv4(a.ip)) out.push({ ip: a.ip, port: port.port });
  }
  const key = (e: EndpointTarget) =>
    `${e.ip
      .split('.')
      .map((o) => o.padStart(3, '0'))
      .join('.')}:${String(e.port).padStart(5, '0')}`;
  return [...new Map(out.map((e) => [key(e), e])).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, e]) => e);
}

function servicePorts(svc: Service, ep: Endpoints | undefined): ServicePortPlan[] {
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
      endpoints: readyEndpoints(ep, p.name ?? '', protocol),
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
  endpoints: readonly Endpoints[],
  pods: readonly Pod[],
): ProxyPlan {
  const epByKey = new Map(endpoints.map((e) => [`${e.metadata?.namespace}/${e.metadata?.name}`, e]));
  const sp = services.flatMap((s) =>
    servicePorts(s, epByKey.get(`${s.metadata?.namespace}/${s.metadata?.name}`)),
  );
  const hp = pods.flatMap(hostPorts);
  return {
    servicePorts: sp.sort((a, b) => a.id.localeCompare(b.id)),
    hostPorts: hp.sort((a, b) => a.id.localeCompare(b.id)),
  };
}
