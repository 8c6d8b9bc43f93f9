/**
 * EndpointSlices mirrored from user-written Endpoints, as kube-controller-manager's
 * endpointslicemirroring controller computes them (pkg/controller/endpointslicemirroring:
 * utils.go, reconciler.go, reconciler_helpers.go). Pure: Endpoints and existing slices in,
 * slice changes out; mirroring-controller.ts decides *whether* to mirror and applies them.
 *
 * Rules (upstream's):
 *  - one slice per (subset port list, address type); subsets with the same ports share it;
 *  - `addresses` become ready endpoints, `notReadyAddresses` not-ready ones (ready: false),
 *    with hostname, nodeName and targetRef copied; an address that is no IP is skipped and
 *    counted (InvalidIPAddress event);
 *  - at most MAX_MIRRORED_ADDRESSES_PER_SUBSET addresses of each subset (ready ones first) are
 *    mirrored, and at most that many per slice; the rest are counted (TooManyAddressesToMirror);
 *  - the slice copies the Endpoints' labels, then sets `kubernetes.io/service-name` and
 *    `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`; it
 *    copies the annotations except last-applied-configuration and last-change-trigger-time;
 *  - it is owned (controller reference) by the Endpoints, so it goes with them;
 *  - of several existing slices for one key the first (by name) is kept and the others are
 *    deleted; a key no longer desired loses its slices; a create and a delete of the same
 *    address type become one update of the old slice (recycleSlices).
 */
import { isIP } from 'node:net';
import type { EndpointAddress, Endpoints } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { nameIsDNSSubdomain } from '../../api/validation/names.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './labels.js';
import type { SliceChanges } from './reconcile.js';

/** The mirroring controller's value of MANAGED_BY_LABEL. */
export const MIRRORING_MANAGED_BY_VALUE = 'endpointslicemirroring-controller.k8s.io';
/** discovery.LabelSkipMirror: Endpoints labelled "true" are not mirrored. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
/** resourcelock.LeaderElectionRecordAnnotationKey: Endpoints used as a lock are not mirrored. */
export const LEADER_ELECTION_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** Not copied onto slices: kubectl's record of the Endpoints, and the controller's timestamp. */
const NOT_COPIED_ANNOTATIONS: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'endpoints.kubernetes.io/last-change-trigger-time',
]);
/** Upstream's default --mirroring-max-endpoints-per-subset. */
export const MAX_MIRRORED_ADDRESSES_PER_SUBSET = 1000;

type AddressType = 'IPv4' | 'IPv6';

/** What a sync would write, and what it left out (for the Warning events). */
export interface MirrorPlan extends SliceChanges {
  invalidAddresses: number;
  /** Every address not mirrored: invalid ones plus those beyond the per-subset limit. */
  skippedAddresses: number;
}

/** shouldMirror, minus the Service checks: no skip-mirror label, no leader-election record. */
export function endpointsWantMirroring(endpoints: Endpoints): boolean {
  return (
    endpoints.metadata?.labels?.[SKIP_MIRROR_LABEL] !== 'true' &&
    endpoints.metadata?.annotations?.[LEADER_ELECTION_ANNOTATION] === undefined
  );
}

/** getEndpointSlicePrefix: `<name>-`, or the name itself when that is no valid prefix. */
export function mirrorSlicePrefix(name: string): string {
  const prefix = `${name}-`;
  return nameIsDNSSubdomain(prefix, true).length === 0 ? prefix : name;
}

/** The address type and canonical text of an IP (Go re-stringifies), or undefined. */
function parseAddress(ip: string): { type: AddressType; ip: string } | undefined {
  switch (isIP(ip)) {
    case 4:
      return { type: 'IPv4', ip };
    case 6:
      return { type: 'IPv6', ip: new URL(`http://[${ip}]`).hostname.slice(1, -1) };
    default:
      return undefined;
  }
}

function addressToEndpoint(address: EndpointAddress, ip: string, ready: boolean): Endpoint {
  const ep: Endpoint = { addresses: [ip], conditions: { ready } };
  if (address.targetRef) ep.targetRef = address.targetRef;
  if (address.nodeName) ep.nodeName = address.nodeName;
  if (address.hostname) ep.hostname = address.hostname;
  return ep;
}

/** hashEndpoint's identity: addresses, hostname and the target's namespace and name. */
function endpointIdentity(ep: Endpoint): string {
  return JSON.stringify([
    [...(ep.addresses ?? [])].sort(),
    ep.hostname ?? '',
    ep.targetRef?.namespace ?? '',
    ep.targetRef?.name ?? '',
  ]);
}

const groupKey = (ports: readonly EndpointPort[], type: AddressType): string =>
  `${type}/${JSON.stringify(ports.map((p) => [p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? '']))}`;

interface Group {
  addressType: AddressType;
  ports: EndpointPort[];
  endpoints: Map<string, Endpoint>;
}

/** The desired endpoints grouped by (port list, address type), with what was skipped. */
export function desiredMirror(endpoints: Endpoints): {
  groups: Map<string, Group>;
  invalidAddresses: number;
  skippedAddresses: number;
} {
  const groups = new Map<string, Group>();
  let invalidAddresses = 0;
  let skippedAddresses = 0;
  for (const subset of endpoints.subsets ?? []) {
    const ports: EndpointPort[] = (subset.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const candidates: [EndpointAddress, boolean][] = [
      ...(subset.addresses ?? []).map((a): [EndpointAddress, boolean] => [a, true]),
      ...(subset.notReadyAddresses ?? []).map((a): [EndpointAddress, boolean] => [a, false]),
    ];
    let added = 0;
    for (const [address, ready] of candidates) {
      if (added >= MAX_MIRRORED_ADDRESSES_PER_SUBSET) break;
      const parsed = parseAddress(address.ip);
      if (!parsed) {
        invalidAddresses++;
        continue;
      }
      const key = groupKey(ports, parsed.type);
      let group = groups.get(key);
      if (!group) {
        group = { addressType: parsed.type, ports, endpoints: new Map() };
        groups.set(key, group);
      }
      const ep = addressToEndpoint(address, parsed.ip, ready);
      // A later duplicate replaces the earlier one, as inserting into upstream's EndpointSet.
      group.endpoints.set(endpointIdentity(ep), ep);
      added++;
    }
    skippedAddresses += candidates.length - added;
  }
  return { groups, invalidAddresses, skippedAddresses };
}

/** The labels and annotations a mirrored slice carries (newEndpointSlice). */
export function mirroredMetadata(endpoints: Endpoints): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const name = endpoints.metadata?.name ?? '';
  const labels = { ...(endpoints.metadata?.labels ?? {}) };
  labels[SERVICE_NAME_LABEL] = name;
  labels[MANAGED_BY_LABEL] = MIRRORING_MANAGED_BY_VALUE;
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(endpoints.metadata?.annotations ?? {}))
    if (!NOT_COPIED_ANNOTATIONS.has(k)) annotations[k] = v;
  return { labels, annotations };
}

function ownerRef(endpoints: Endpoints): OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    name: endpoints.metadata?.name ?? '',
    uid: endpoints.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function sliceFor(endpoints: Endpoints, group: Group, existing?: EndpointSlice): EndpointSlice {
  const { labels, annotations } = mirroredMetadata(endpoints);
  const name = endpoints.metadata?.name ?? '';
  return {
    ...(existing ?? {}),
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      ...(existing?.metadata ?? { generateName: mirrorSlicePrefix(name) }),
      namespace: endpoints.metadata?.namespace,
      labels,
      annotations,
      ownerReferences: [ownerRef(endpoints)],
    },
    addressType: group.addressType,
    ports: group.ports,
    endpoints: [...group.endpoints.values()].slice(0, MAX_MIRRORED_ADDRESSES_PER_SUBSET),
  };
}

/** The slice already says what `want` says: no write needed. */
function unchanged(current: EndpointSlice, want: EndpointSlice): boolean {
  const endpointsByIdentity = (s: EndpointSlice) =>
    new Map((s.endpoints ?? []).map((e) => [endpointIdentity(e), e]));
  const have = endpointsByIdentity(current);
  const wanted = endpointsByIdentity(want);
  return (
    have.size === wanted.size &&
    [...wanted].every(([k, e]) => semanticEqual(have.get(k), e)) &&
    semanticEqual(current.ports, want.ports) &&
    semanticEqual(current.metadata?.labels, want.metadata?.labels) &&
    semanticEqual(current.metadata?.annotations, want.metadata?.annotations) &&
    semanticEqual(current.metadata?.ownerReferences, want.metadata?.ownerReferences)
  );
}

const byName = (a: EndpointSlice, b: EndpointSlice): number =>
  (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/**
 * What to create, update and delete so `existing` (the slices this controller manages for the
 * Endpoints' Service) mirror `endpoints`. Endpoints being deleted get no new slices.
 */
export function reconcileMirror(endpoints: Endpoints, existing: readonly EndpointSlice[]): MirrorPlan {
  const { groups, invalidAddresses, skippedAddresses } = desiredMirror(endpoints);
  const create: EndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  const remove: EndpointSlice[] = [];
  const existingByKey = new Map<string, EndpointSlice[]>();
  for (const slice of [...existing].sort(byName)) {
    const key = groupKey(slice.ports ?? [], slice.addressType === 'IPv6' ? 'IPv6' : 'IPv4');
    existingByKey.set(key, [...(existingByKey.get(key) ?? []), slice]);
  }
  for (const [key, group] of groups) {
    const [first, ...extra] = existingByKey.get(key) ?? [];
    remove.push(...extra);
    if (group.endpoints.size === 0) {
      if (first) remove.push(first);
      continue;
    }
    const want = sliceFor(endpoints, group, first);
    if (!first) create.push(want);
    else if (!unchanged(first, want)) update.push(want);
  }
  for (const [key, slices] of existingByKey) if (!groups.has(key)) remove.push(...slices);
  // recycleSlices: a create and a delete of one address type become an update of the old slice.
  for (const next of [...create]) {
    const old = remove.find((s) => s.addressType === next.addressType);
    if (!old) continue;
    remove.splice(remove.indexOf(old), 1);
    create.splice(create.indexOf(next), 1);
    const { generateName: _g, ...meta } = next.metadata ?? {};
    update.push({ ...old, ...next, metadata: { ...old.metadata, ...meta } });
  }
  const creates = endpoints.metadata?.deletionTimestamp ? [] : create;
  return { create: creates, update, delete: remove, invalidAddresses, skippedAddresses };
}
