/**
 * The EndpointSlice controller, as kube-controller-manager's: for every Service with a selector
 * (and not of type ExternalName), EndpointSlices listing the selected pods (desired.ts), at
 * most 100 endpoints each, named `<service>-<random>` through generateName, labelled
 * `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, and owned by the
 * Service (so the garbage collector removes them with it; this controller also deletes them at
 * once when it sees the Service gone). It writes only when a slice changes (reconcile.ts).
 * Slices managed by anyone else are never touched. Selector-less Services are left to their
 * users and to the mirroring controller (mirroring-controller.ts), except the `kubernetes`
 * Service, whose Endpoints this controller follows in the API server's stead (mirror.ts).
 *
 * Sources of truth: the Service and its pods; a slice edited by hand is put back on the next
 * event for it, because slice events re-sync their Service.
 */
import type { Endpoints, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { selectorFromSet } from '../../api/selectors/label-selector.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import { QueueController, type WatchSpec } from '../runtime/queue-controller.js';
import { objectKey, splitKey } from '../runtime/work-queue.js';
import { keyOf } from '../util/owners.js';
import { PodServiceIndex } from '../util/pod-services.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { addressTypesOf, desiredPortGroups } from './desired.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, SERVICE_NAME_LABEL } from './labels.js';
import { MIRRORED_SERVICE, sliceFromEndpoints } from './mirror.js';
import { type OwnerService, reconcileAddressType, type SliceChanges } from './reconcile.js';

type Slice = EndpointSlice & KubeObject;
type Svc = Service & KubeObject;

const RESOURCE = 'endpointslices';
const MIRRORED_KEY = objectKey(MIRRORED_SERVICE.namespace, MIRRORED_SERVICE.name);

const isManaged = (s: KubeObject): boolean => s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;

/** The Service key a slice event concerns: its service-name label, for slices this controller writes. */
function serviceKeyOfSlice(slice: KubeObject): string | undefined {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  if (!service) return undefined;
  const key = objectKey(slice.metadata.namespace, service);
  return isManaged(slice) || key === MIRRORED_KEY ? key : undefined;
}

export class EndpointSliceController extends QueueController {
  readonly name = 'endpointslice';
  /** pod key → service keys that selected it at the last event, to catch label changes. */
  readonly #podServices = new PodServiceIndex(this.deps.client);

  protected override readonly requiredResource = { resource: RESOURCE, group: 'discovery.k8s.io' };

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'services', keysFor: (ev) => [keyOf(ev.object)] },
      { resource: 'pods', keysFor: (ev) => this.#keysForPod(ev) },
      {
        resource: RESOURCE,
        keysFor: (ev) => {
          const key = serviceKeyOfSlice(ev.object);
          return key ? [key] : [];
        },
      },
      { resource: 'endpoints', keysFor: (ev) => (keyOf(ev.object) === MIRRORED_KEY ? [MIRRORED_KEY] : []) },
    ];
  }

  #keysForPod(ev: WatchEvent): readonly string[] {
    return this.#podServices.keysFor(ev);
  }

  /** Every Service, plus the Services of managed slices whose Service is gone (cleanup after a restart). */
  protected allKeys(): readonly string[] {
    const keys = new Set(this.deps.client.scan('services').map(keyOf));
    for (const slice of this.deps.client.scan(RESOURCE)) {
      const key = serviceKeyOfSlice(slice);
      if (key) keys.add(key);
    }
    return [...keys];
  }

  protected sync(key: string): void {
    if (key === MIRRORED_KEY) {
      const svc = this.deps.client.get<Svc>('services', MIRRORED_SERVICE.namespace, MIRRORED_SERVICE.name);
      if (!svc?.spec?.selector) {
        this.#syncMirror();
        return;
      }
    }
    const [namespace, name] = splitKey(key);
    const svc = this.deps.client.get<Svc>('services', namespace, name);
    const existing = this.#managedSlices(namespace, name);
    if (!svc) {
      this.#apply({ create: [], update: [], delete: existing });
      return;
    }
    // An empty selector is no selector: upstream stores `selector: {}` as absent (omitempty).
    const hasSelector = Object.keys(svc.spec?.selector ?? {}).length > 0;
    if (svc.spec?.type === 'ExternalName' || !hasSelector || !svc.spec?.selector) return;
    const selector = selectorFromSet(svc.spec.selector);
    const pods = this.deps.client
      .scan<Pod & KubeObject>('pods', { namespace })
      .filter((p) => selector.matches(p.metadata.labels));
    const nodes = new Map(
      this.deps.client.scan<Node & KubeObject>('nodes').map((n) => [n.metadata.name!, n]),
    );
    const owner = svc as OwnerService;
    const changes: SliceChanges = { create: [], update: [], delete: [] };
    const served = addressTypesOf(svc);
    for (const addressType of served) {
      const c = reconcileAddressType(
        owner,
        addressType,
        existing.filter((s) => s.addressType === addressType),
        desiredPortGroups(svc, pods, nodes, addressType),
      );
      changes.create.push(...c.create);
      changes.update.push(...c.update);
      changes.delete.push(...c.delete);
    }
    changes.delete.push(...existing.filter((s) => !(served as string[]).includes(s.addressType)));
    this.#apply(changes);
  }

  #managedSlices(namespace: string, service: string): Slice[] {
    return this.deps.client.list<Slice>(RESOURCE, {
      namespace,
      labelSelector: `${SERVICE_NAME_LABEL}=${service},${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
    });
  }

  /** Creates before deletes, so readers never see a Service with fewer endpoints than either state. */
  #apply(changes: SliceChanges): void {
    const { client } = this.deps;
    for (const slice of changes.create) client.create(RESOURCE, slice as Slice);
    for (const slice of changes.update) client.update(RESOURCE, slice as Slice);
    for (const slice of changes.delete) this.#deleteIfPresent(slice as Slice);
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

  /** The `kubernetes` Service's slice follows its Endpoints; it goes when they go. */
  #syncMirror(): void {
    const { client } = this.deps;
    const { namespace, name } = MIRRORED_SERVICE;
    const endpoints = client.get<Endpoints & KubeObject>('endpoints', namespace, name);
    const current = client.get<Slice>(RESOURCE, namespace, name);
    if (!endpoints) {
      if (current) this.#deleteIfPresent(current);
      return;
    }
    const want = sliceFromEndpoints(endpoints) as Slice;
    if (!current) {
      client.create(RESOURCE, want);
      return;
    }
    const labels = { ...(current.metadata.labels ?? {}), ...want.metadata.labels };
    if (
      current.addressType === want.addressType &&
      semanticEqual(current.endpoints, want.endpoints) &&
      semanticEqual(current.ports, want.ports) &&
      semanticEqual(current.metadata.labels, labels)
    ) {
      return;
    }
    if (current.addressType !== want.addressType) {
      // addressType is immutable: replace the slice.
      this.#deleteIfPresent(current);
      client.create(RESOURCE, want);
      return;
    }
    const next: Slice = { ...current, metadata: { ...current.metadata, labels }, endpoints: want.endpoints };
    if (want.ports) next.ports = want.ports;
    else delete next.ports;
    client.update(RESOURCE, next);
  }
}
