/**
 * Which EndpointSlices to create, update and delete so a Service's slices hold exactly its
 * desired endpoints: a pure computation, as upstream's reconciler.reconcileByAddressType.
 *
 *  1. Each existing slice whose port list is still desired keeps the endpoints it holds that
 *     are still desired (in their current form); the others leave it.
 *  2. Endpoints not yet placed fill those slices up to MAX_ENDPOINTS_PER_SLICE, then go into
 *     new slices of at most that many.
 *  3. Slices left empty, of a port list no longer desired, or of an address type the Service
 *     no longer serves are deleted; a delete and a create of the same address type pair up
 *     into an update of the old slice (stable names, fewer writes).
 *  4. A Service with no endpoints of an address type keeps one placeholder slice of that type
 *     (no ports, no endpoints), so clients see the Service is handled.
 * An update is returned only when the slice really changes (endpoints, ports or labels).
 */
import type { Service } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { nameIsDNSSubdomain } from '../../api/validation/names.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { type AddressType, endpointKey, type PortGroup, portsKey } from './desired.js';
import { HEADLESS_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, SERVICE_NAME_LABEL } from './labels.js';

/** Upstream's default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SliceChanges {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

/** The Service fields the slices derive from. */
export type OwnerService = Service & {
  metadata: { name: string; namespace: string; uid: string; labels?: Record<string, string> };
};

/** setEndpointSliceLabels: the Service's labels (minus reserved ones), then the controller's. */
export function sliceLabels(svc: OwnerService): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL) continue;
    labels[k] = v;
  }
  // IsServiceIPSet: neither None nor empty.
  if (svc.spec?.clusterIP === 'None' || !svc.spec?.clusterIP) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  labels[MANAGED_BY_LABEL] = MANAGED_BY_VALUE;
  return labels;
}

/** getEndpointSlicePrefix: `<service>-`, or `endpointslice-` when that is not a valid prefix. */
export function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return nameIsDNSSubdomain(prefix, true).length === 0 ? prefix : 'endpointslice-';
}

const ownerRef = (svc: OwnerService): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'Service',
  name: svc.metadata.name,
  uid: svc.metadata.uid,
  controller: true,
  blockOwnerDeletion: true,
});

const ownedBy = (slice: EndpointSlice, svc: OwnerService): boolean =>
  (slice.metadata?.ownerReferences ?? []).some((r) => r.uid === svc.metadata.uid && r.controller === true);

function newSlice(
  svc: OwnerService,
  addressType: AddressType,
  ports: EndpointPort[],
  endpoints: Endpoint[],
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(svc.metadata.name),
      namespace: svc.metadata.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [ownerRef(svc)],
    },
    addressType,
    ports,
    endpoints,
  };
}

/** The slice with new contents, or undefined when nothing would change. */
function updated(
  slice: EndpointSlice,
  svc: OwnerService,
  ports: EndpointPort[],
  endpoints: Endpoint[],
): EndpointSlice | undefined {
  // Labels follow the Service's: one it dropped leaves the slice too (setEndpointSliceLabels).
  const labels = sliceLabels(svc);
  const ownerReferences = ownedBy(slice, svc) ? slice.metadata?.ownerReferences : [ownerRef(svc)];
  if (
    semanticEqual(slice.endpoints, endpoints) &&
    semanticEqual(slice.ports, ports) &&
    semanticEqual(slice.metadata?.labels, labels) &&
    semanticEqual(slice.metadata?.ownerReferences, ownerReferences)
  ) {
    return undefined;
  }
  return { ...slice, metadata: { ...slice.metadata, labels, ownerReferences }, ports, endpoints };
}

const byName = (a: EndpointSlice, b: EndpointSlice): number =>
  (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;

/**
 * Changes for one address type. `existing` are the Service's managed slices of this type;
 * `desired` its endpoints grouped by port list (desired.ts).
 */
export function reconcileAddressType(
  svc: OwnerService,
  addressType: AddressType,
  existing: readonly EndpointSlice[],
  desired: ReadonlyMap<string, PortGroup>,
): SliceChanges {
  const out: SliceChanges = { create: [], update: [], delete: [] };
  // With nothing to publish, the desired state is one placeholder: no ports, no endpoints.
  const groups: ReadonlyMap<string, PortGroup> =
    desired.size > 0 ? desired : new Map([[portsKey([]), { ports: [], endpoints: new Map() }]]);
  const placeholderOnly = desired.size === 0;
  for (const [key, group] of groups) {
    const unplaced = new Map(group.endpoints);
    const kept: { slice: EndpointSlice; endpoints: Endpoint[] }[] = [];
    for (const slice of existing.filter((s) => portsKey(s.ports ?? []) === key).sort(byName)) {
      const endpoints: Endpoint[] = [];
      for (const ep of slice.endpoints ?? []) {
        const k = endpointKey(ep);
        const want = unplaced.get(k);
        if (!want) continue;
        endpoints.push(want);
        unplaced.delete(k);
      }
      kept.push({ slice, endpoints });
    }
    // Fill the fullest slices first, as upstream does, so slices stay few and full.
    const rest = [...unplaced.values()];
    for (const k of [...kept].sort((a, b) => b.endpoints.length - a.endpoints.length)) {
      while (rest.length > 0 && k.endpoints.length < MAX_ENDPOINTS_PER_SLICE) k.endpoints.push(rest.shift()!);
    }
    let placeholderKept = false;
    for (const k of kept) {
      if (k.endpoints.length === 0 && !(placeholderOnly && !placeholderKept)) {
        out.delete.push(k.slice);
        continue;
      }
      if (k.endpoints.length === 0) placeholderKept = true;
      const u = updated(k.slice, svc, group.ports, k.endpoints);
      if (u) out.update.push(u);
    }
    for (let i = 0; i < rest.length; i += MAX_ENDPOINTS_PER_SLICE)
      out.create.push(newSlice(svc, addressType, group.ports, rest.slice(i, i + MAX_ENDPOINTS_PER_SLICE)));
    if (placeholderOnly && kept.length === 0) out.create.push(newSlice(svc, addressType, [], []));
  }
  for (const slice of existing) if (!groups.has(portsKey(slice.ports ?? []))) out.delete.push(slice);
  return pairDeletesWithCreates(svc, out);
}

/** Turns a create plus a delete of an owned slice of the same address type into one update. */
function pairDeletesWithCreates(svc: OwnerService, changes: SliceChanges): SliceChanges {
  const create = [...changes.create];
  const update = [...changes.update];
  const remaining: EndpointSlice[] = [];
  for (const old of changes.delete) {
    const next = create.at(-1);
    if (next && old.addressType === next.addressType && ownedBy(old, svc)) {
      create.pop();
      const { generateName: _g, ...meta } = next.metadata ?? {};
      update.push({
        ...old,
        metadata: { ...old.metadata, ...meta },
        ports: next.ports,
        endpoints: next.endpoints,
      });
    } else {
      remaining.push(old);
    }
  }
  return { create, update, delete: remaining };
}
