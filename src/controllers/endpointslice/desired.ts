/**
 * The endpoints a Service should publish, as upstream's EndpointSlice controller computes them
 * (pkg/controller/endpointslice/utils.go podToEndpoint, getEndpointPorts): one endpoint per
 * selected pod that has an IP of the slice's address family and is not finished, with
 * conditions ready/serving/terminating, targetRef, nodeName, zone and hostname. Endpoints are
 * grouped by the exact ports they offer (a named targetPort can resolve differently per pod),
 * because every slice carries one port list for all its endpoints. Pure: no client access.
 */
import type { Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import { findPort, podInEndpoints } from '../endpoints/subsets.js';
import { isPodReady } from '../util/pods.js';

export type AddressType = 'IPv4' | 'IPv6';

/** Endpoints that share one port list: the contents of one or more slices. */
export interface PortGroup {
  readonly ports: EndpointPort[];
  /** Keyed by endpointKey, in pod order. */
  readonly endpoints: Map<string, Endpoint>;
}

/** corev1.LabelTopologyZone: copied from the pod's node into `zone`. */
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The address types a Service's slices carry: one per IP family it serves (IPv4 by default). */
export function addressTypesOf(svc: Service): AddressType[] {
  const families = (svc.spec?.ipFamilies ?? []).filter((f): f is AddressType => f === 'IPv4' || f === 'IPv6');
  return families.length > 0 ? [...new Set(families)] : ['IPv4'];
}

/** An endpoint's identity across syncs (upstream's endpointHash keys on the pod reference). */
export function endpointKey(ep: Endpoint): string {
  const ref = ep.targetRef;
  return ref
    ? `${ref.kind ?? ''}/${ref.namespace ?? ''}/${ref.name ?? ''}`
    : `address/${ep.addresses?.[0] ?? ''}`;
}

/** A port list's identity: same names, numbers, protocols and appProtocols in the same order. */
export const portsKey = (ports: readonly EndpointPort[]): string =>
  JSON.stringify(ports.map((p) => [p.name ?? '', p.port ?? null, p.protocol ?? '', p.appProtocol ?? '']));

/** getEndpointPorts: every service port the pod can serve, named and with its protocol. */
export function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    // A port the pod does not offer (a named targetPort it lacks) is left out, not an error.
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** getEndpointAddresses: the pod's IPs of this family (podIPs, falling back to podIP). */
function podAddresses(pod: Pod, addressType: AddressType): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  const wantV6 = addressType === 'IPv6';
  const match = ips.find((ip) => ip.includes(':') === wantV6);
  return match ? [match] : [];
}

/** endpointutil.ShouldSetHostname: the pod names this Service as its subdomain. */
function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return (
    !!pod.spec?.hostname &&
    pod.spec.subdomain === svc.metadata?.name &&
    pod.metadata?.namespace === svc.metadata?.namespace
  );
}

/** podToEndpoint: `undefined` when the pod has no IP of this family. */
export function podToEndpoint(
  pod: Pod,
  node: Node | undefined,
  svc: Service,
  addressType: AddressType,
): Endpoint | undefined {
  const addresses = podAddresses(pod, addressType);
  if (addresses.length === 0) return undefined;
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  // For compatibility, "ready" is never true for a terminating pod unless the Service
  // publishes not-ready addresses.
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses,
    conditions: { ready, serving, terminating },
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata?.namespace,
      name: pod.metadata?.name,
      uid: pod.metadata?.uid,
    },
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname!;
  return ep;
}

/**
 * The desired endpoints of one address type, grouped by port list. Terminating pods are kept
 * (with terminating: true), as upstream does since EndpointSliceTerminatingCondition went GA.
 */
export function desiredPortGroups(
  svc: Service,
  pods: readonly Pod[],
  nodes: ReadonlyMap<string, Node>,
  addressType: AddressType,
): Map<string, PortGroup> {
  const groups = new Map<string, PortGroup>();
  for (const pod of pods) {
    if (!podInEndpoints(pod, true)) continue;
    const ep = podToEndpoint(pod, nodes.get(pod.spec?.nodeName ?? ''), svc, addressType);
    if (!ep) continue;
    const ports = endpointPorts(svc, pod);
    const k = portsKey(ports);
    let group = groups.get(k);
    if (!group) {
      group = { ports, endpoints: new Map() };
      groups.set(k, group);
    }
    group.endpoints.set(endpointKey(ep), ep);
  }
  return groups;
}
