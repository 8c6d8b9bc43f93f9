/**
 * Building Endpoints subsets, as upstream's endpoints controller and endpoints.RepackSubsets:
 * one address per pod (ready pods in `addresses`, others in `notReadyAddresses`), each
 * service port resolved against the pod (a named targetPort through the containers' port
 * names and protocol), then addresses grouped so that each subset lists the addresses that
 * offer exactly the same ports. Output is sorted so equal inputs give equal objects.
 */
import type {
  EndpointAddress,
  EndpointPort,
  EndpointSubset,
  Pod,
  Service,
  ServicePort,
} from 'kubernetes-types/core/v1';
import { isPodReady } from '../util/pods.js';

/** podutil.FindPort: the container port a service port sends to on this pod. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const protocol = sp.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? [])
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  // A numeric string is an IntOrString of type string in upstream too: it only matches names.
  return undefined;
}

/** ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless asked. */
export function podInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

function podIP(pod: Pod, svc: Service): string {
  const wantV6 = svc.spec?.ipFamilies?.[0] === 'IPv6';
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  return ips.find((ip) => ip.includes(':') === wantV6) ?? pod.status?.podIP ?? ips[0] ?? '';
}

function addressFor(pod: Pod, svc: Service): EndpointAddress {
  const a: EndpointAddress = {
    ip: podIP(pod, svc),
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata?.namespace,
      name: pod.metadata?.name,
      uid: pod.metadata?.uid,
    },
  };
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  if (
    pod.spec?.hostname &&
    pod.spec.subdomain === svc.metadata?.name &&
    pod.metadata?.namespace === svc.metadata?.namespace
  ) {
    a.hostname = pod.spec.hostname;
  }
  return a;
}

interface Entry {
  address: EndpointAddress;
  ready: boolean;
  ports: EndpointPort[];
}

const portKey = (p: EndpointPort): string =>
  `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol ?? ''}\u0000${p.appProtocol ?? ''}`;
const addressKey = (a: EndpointAddress): string => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '') < (b.targetRef?.uid ?? '') ? -1 : 1;
}

/** The subsets for a service and its selected pods. */
export function buildSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const entries: Entry[] = [];
  const svcPorts = svc.spec?.ports ?? [];
  for (const pod of pods) {
    if (!podInEndpoints(pod, publishNotReady)) continue;
    const ready = publishNotReady || isPodReady(pod);
    const address = addressFor(pod, svc);
    if (svcPorts.length === 0) {
      // Headless services may have no ports; others without ports get no endpoints.
      if (svc.spec?.clusterIP === 'None') entries.push({ address, ready, ports: [] });
      continue;
    }
    const ports: EndpointPort[] = [];
    for (const sp of svcPorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      ports.push(ep);
    }
    if (ports.length) entries.push({ address, ready, ports });
  }
  return repack(entries);
}

/** RepackSubsets: group addresses by the exact set of ports they offer. */
function repack(entries: readonly Entry[]): EndpointSubset[] {
  const groups = new Map<
    string,
    { ports: EndpointPort[]; ready: Map<string, EndpointAddress>; notReady: Map<string, EndpointAddress> }
  >();
  // Merge duplicates of one address first (a pod appears once per port in upstream).
  const byAddress = new Map<string, Entry>();
  for (const e of entries) {
    const k = addressKey(e.address);
    const prev = byAddress.get(k);
    if (!prev) byAddress.set(k, { ...e, ports: [...e.ports] });
    else {
      for (const p of e.ports) if (!prev.ports.some((q) => portKey(q) === portKey(p))) prev.ports.push(p);
      prev.ready ||= e.ready;
    }
  }
  for (const e of byAddress.values()) {
    const ports = [...e.ports].sort((a, b) => (portKey(a) < portKey(b) ? -1 : 1));
    const k = ports.map(portKey).join('\u0001');
    let g = groups.get(k);
    if (!g) {
      g = { ports, ready: new Map(), notReady: new Map() };
      groups.set(k, g);
    }
    (e.ready ? g.ready : g.notReady).set(addressKey(e.address), e.address);
  }
  const subsets = [...groups.values()].map((g) => {
    const s: EndpointSubset = {};
    const ready = [...g.ready.values()].sort(compareAddresses);
    const notReady = [...g.notReady.values()].sort(compareAddresses);
    if (ready.length) s.addresses = ready;
    if (notReady.length) s.notReadyAddresses = notReady;
    if (g.ports.length) s.ports = g.ports;
    return s;
  });
  const first = (s: EndpointSubset): string => (s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? '';
  return subsets.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
}

/** upstream's maxCapacity: addresses beyond it are dropped and the Endpoints annotated. */
export const MAX_ENDPOINTS = 1000;

const countAddresses = (subsets: readonly EndpointSubset[]): [number, number] => [
  subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0),
  subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0),
];

/**
 * truncateEndpoints: keeps at most MAX_ENDPOINTS addresses, ready ones first, each subset
 * keeping its proportional share (rounded up). Returns whether anything was dropped.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  const [ready, notReady] = countAddresses(subsets);
  if (ready + notReady <= MAX_ENDPOINTS) return false;
  const truncateReady = ready > MAX_ENDPOINTS;
  const max = truncateReady ? MAX_ENDPOINTS : MAX_ENDPOINTS - ready;
  const total = truncateReady ? ready : notReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = (truncateReady ? s.addresses : s.notReadyAddresses)?.length ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / total) * max), canBeAdded);
    if (truncateReady) {
      s.addresses = s.addresses?.slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses?.length ?? 0;
    } else {
      s.notReadyAddresses = s.notReadyAddresses?.slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses?.length ?? 0;
    }
  }
  return true;
}

/** capacityAnnotationSetCorrectly: under capacity and not annotated. */
export const capacityAnnotationCorrect = (
  annotations: Readonly<Record<string, string>> | undefined,
  subsets: readonly EndpointSubset[],
): boolean => {
  const [ready, notReady] = countAddresses(subsets);
  return ready + notReady <= MAX_ENDPOINTS && !annotations?.[OVER_CAPACITY];
};

export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
