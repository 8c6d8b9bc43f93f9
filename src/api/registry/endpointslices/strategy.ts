/**
 * discovery.k8s.io/v1 EndpointSlices: the endpoints of a Service, in slices of at most 100,
 * written by the EndpointSlice controller (src/controllers/endpointslice) and read by
 * `kubectl describe service`. As upstream's registry (pkg/registry/discovery/endpointslice):
 * generation starts at 1 and moves on any change but metadata (labels count), and v1 writes
 * drop the deprecated topology map.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { deepEqual } from '../../validation/objectmeta.js';
import { defineStrategy, resourceInfo, type Writable } from '../define.js';
import { defaultEndpointSlice } from './defaults.js';
import { endpointSliceTable } from './table.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './validation.js';

/** Everything but metadata: what upstream compares to decide on a new generation. */
const withoutMetadata = ({ metadata: _m, ...rest }: EndpointSlice): Omit<EndpointSlice, 'metadata'> => rest;

/** The hostname label the deprecated topology map used to carry the node name in (v1beta1). */
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * dropTopologyOnV1: a v1 write may not set deprecatedTopology. When the endpoints changed, the
 * map is dropped; a node name it carried in the old object is kept in `nodeName`, so a partial
 * update does not lose node information.
 */
function dropDeprecatedTopology(slice: EndpointSlice, old: EndpointSlice | undefined): void {
  if (old && deepEqual(old.endpoints, slice.endpoints)) return;
  const oldNodeNames = new Set(
    (old?.endpoints ?? []).map((e) => e.deprecatedTopology?.[HOSTNAME_LABEL]).filter((n) => n !== undefined),
  );
  for (const ep of slice.endpoints ?? []) {
    const nodeName = ep.deprecatedTopology?.[HOSTNAME_LABEL];
    if (ep.nodeName === undefined && nodeName !== undefined && oldNodeNames.has(nodeName))
      ep.nodeName = nodeName;
    delete ep.deprecatedTopology;
  }
}

export const endpointSliceStrategy = defineStrategy<EndpointSlice>({
  info: resourceInfo({
    group: 'discovery.k8s.io',
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
  }),
  table: endpointSliceTable,
  prepareForCreate(slice: Writable<EndpointSlice>) {
    slice.metadata = { ...slice.metadata, generation: 1 };
    dropDeprecatedTopology(slice, undefined);
  },
  prepareForUpdate(slice: Writable<EndpointSlice>, old: EndpointSlice) {
    dropDeprecatedTopology(slice, old);
    const generation = old.metadata?.generation ?? 0;
    const changed =
      !deepEqual(withoutMetadata(slice), withoutMetadata(old)) ||
      !deepEqual(slice.metadata?.labels, old.metadata?.labels);
    slice.metadata = { ...slice.metadata, generation: changed ? generation + 1 : generation };
  },
  defaults: (slice) => defaultEndpointSlice(slice),
  validate: (slice) => validateEndpointSlice(slice),
  validateUpdate: (slice, old) => validateEndpointSliceUpdate(slice, old),
});
