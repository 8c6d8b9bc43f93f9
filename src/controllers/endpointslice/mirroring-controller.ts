/**
 * The EndpointSlice mirroring controller, as kube-controller-manager's endpointslicemirroring:
 * a Service without a selector gets its endpoints from Endpoints its user writes, and this
 * controller copies those Endpoints into EndpointSlices (mirroring.ts), so every reader of
 * slices (the service proxy, cluster DNS, kubectl) sees them. Sources of truth: the Endpoints
 * and the Service; the slices it writes carry managed-by
 * `endpointslicemirroring-controller.k8s.io` and it never touches any other slice.
 *
 * sync(<namespace>/<name>) — the key of both the Endpoints and their Service:
 *   1. no Endpoints, Endpoints labelled skip-mirror=true or holding a leader-election record,
 *      no Service, or a Service with a selector (the EndpointSlice controller's) → delete the
 *      slices mirrored for it;
 *   2. otherwise create, update and delete slices as reconcileMirror says, creates first, and
 *      record Warning events for addresses it could not mirror.
 * The `kubernetes` Service's Endpoints carry skip-mirror (bootstrap.ts), as upstream's API
 * server writes them: their slice is the API server's (mirror.ts), not this controller's.
 */
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../api/types.js';
import { QueueController, type WatchSpec } from '../runtime/queue-controller.js';
import { objectKey, splitKey } from '../runtime/work-queue.js';
import { keyOf } from '../util/owners.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './labels.js';
import {
  endpointsWantMirroring,
  MAX_MIRRORED_ADDRESSES_PER_SUBSET,
  MIRRORING_MANAGED_BY_VALUE,
  reconcileMirror,
} from './mirroring.js';

type Slice = EndpointSlice & KubeObject;

const RESOURCE = 'endpointslices';
/** The event source upstream's controller records under. */
const EVENT_SOURCE = { component: 'endpoint-slice-mirroring-controller' };

const isMirrored = (s: KubeObject): boolean =>
  s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_MANAGED_BY_VALUE;

/** The Endpoints key a mirrored slice belongs to (its service-name label). */
function endpointsKeyOfSlice(slice: KubeObject): string | undefined {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return service && isMirrored(slice) ? objectKey(slice.metadata.namespace, service) : undefined;
}

/** upstream keeps `selector: {}` as no selector (omitempty); so does podbay's store. */
const hasSelector = (svc: Service): boolean => Object.keys(svc.spec?.selector ?? {}).length > 0;

export class EndpointSliceMirroringController extends QueueController {
  readonly name = 'endpointslicemirroring';

  protected override readonly requiredResource = { resource: RESOURCE, group: 'discovery.k8s.io' };

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'endpoints', keysFor: (ev) => [keyOf(ev.object)] },
      { resource: 'services', keysFor: (ev) => [keyOf(ev.object)] },
      {
        resource: RESOURCE,
        keysFor: (ev) => {
          const key = endpointsKeyOfSlice(ev.object);
          return key ? [key] : [];
        },
      },
    ];
  }

  /** Every Endpoints, plus the owners of mirrored slices whose Endpoints are gone. */
  protected allKeys(): readonly string[] {
    const keys = new Set(this.deps.client.scan('endpoints').map(keyOf));
    for (const slice of this.deps.client.scan(RESOURCE)) {
      const key = endpointsKeyOfSlice(slice);
      if (key) keys.add(key);
    }
    return [...keys];
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client } = this.deps;
    const existing = client.list<Slice>(RESOURCE, {
      namespace,
      labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${MIRRORING_MANAGED_BY_VALUE}`,
    });
    const endpoints = client.get<Endpoints & KubeObject>('endpoints', namespace, name);
    const svc = client.get<Service & KubeObject>('services', namespace, name);
    if (!endpoints || !endpointsWantMirroring(endpoints) || !svc || hasSelector(svc)) {
      for (const slice of existing) this.#deleteIfPresent(slice);
      return;
    }
    const plan = reconcileMirror(endpoints, existing);
    for (const slice of plan.create) client.create(RESOURCE, slice as Slice);
    for (const slice of plan.update) client.update(RESOURCE, slice as Slice);
    for (const slice of plan.delete) this.#deleteIfPresent(slice as Slice);
    this.#warn(endpoints, plan.invalidAddresses, plan.skippedAddresses);
  }

  #warn(endpoints: Endpoints & KubeObject, invalid: number, skipped: number): void {
    if (invalid > 0)
      this.deps.events.event(
        endpoints,
        'Warning',
        'InvalidIPAddress',
        `Skipped ${invalid} invalid IP addresses when mirroring to EndpointSlices`,
        EVENT_SOURCE,
      );
    if (skipped > invalid)
      this.deps.events.event(
        endpoints,
        'Warning',
        'TooManyAddressesToMirror',
        `A max of ${MAX_MIRRORED_ADDRESSES_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. ${skipped} addresses were skipped`,
        EVENT_SOURCE,
      );
  }

  #deleteIfPresent(slice: KubeObject): void {
    try {
      this.deps.client.delete(RESOURCE, slice.metadata.namespace ?? '', slice.metadata.name!, {
        preconditions: { uid: slice.metadata.uid! },
      });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}
