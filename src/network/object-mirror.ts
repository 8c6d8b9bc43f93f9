/**
 * A watch-driven, in-memory mirror of a few API resources: the node's shared informer for the
 * service proxy and the cluster DNS server. The node network creates one and hands it to both,
 * so each resource is watched once per node, however many readers there are. It is the source
 * of truth for "what the data path currently believes exists"; the API store stays the source
 * of truth for what should exist.
 *
 * Contract:
 *  - `start` subscribes to the watches first and then lists, so a change committed between the
 *    two is never lost; an event older than what the list already returned (by numeric
 *    resourceVersion) is ignored, so a late ADDED cannot resurrect a newer copy.
 *  - `onChange` is called (synchronously, after the mirror is updated) for every applied
 *    change and once after the initial list; listeners decide how to debounce.
 *  - `stop` is safe to call twice; `start` after `stop` rebuilds from a full list.
 *  - Its owner starts and stops it; readers only subscribe (`onChange`) and read (`list`).
 */
import type { KubeObject, WatchEvent } from '../api/types.js';
import type { ObjectClient } from '../controllers/client.js';

export type MirroredResource =
  | 'services'
  | 'endpointslices'
  | 'pods'
  | 'namespaces'
  | 'networkpolicies'
  // the ingress controller's own mirror (ingress/controller.ts)
  | 'ingresses'
  | 'ingressclasses'
  | 'secrets';

/** What the service proxy and cluster DNS read: Services, their EndpointSlices, and Pods. */
export const SERVICE_NETWORK_RESOURCES: readonly MirroredResource[] = ['services', 'endpointslices', 'pods'];

/** What the node network mirrors: the above, plus what the NetworkPolicy enforcer reads. */
export const NODE_NETWORK_RESOURCES: readonly MirroredResource[] = [
  ...SERVICE_NETWORK_RESOURCES,
  'namespaces',
  'networkpolicies',
];

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const rvOf = (o: KubeObject): number => Number(o.metadata.resourceVersion ?? 0) || 0;

export class ObjectMirror {
  readonly #client: ObjectClient;
  readonly #resources: readonly MirroredResource[];
  readonly #objects = new Map<MirroredResource, Map<string, KubeObject>>();
  /** Highest resourceVersion seen per live key. */
  readonly #seen = new Map<string, number>();
  readonly #listeners = new Set<() => void>();
  #stops: (() => void)[] = [];
  #generation = 0;

  constructor(client: ObjectClient, resources: readonly MirroredResource[]) {
    this.#client = client;
    this.#resources = resources;
  }

  /** Bumped on every applied change: consumers cache derived data per generation. */
  get generation(): number {
    return this.#generation;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.stop();
    this.#objects.clear();
    this.#seen.clear();
    for (const r of this.#resources) {
      this.#objects.set(r, new Map());
      this.#stops.push(this.#client.watch(r, (e) => this.#apply(r, e)));
    }
    for (const r of this.#resources) {
      for (const o of this.#client.list(r)) this.#put(r, o);
    }
    this.#changed();
  }

  stop(): void {
    for (const s of this.#stops) s();
    this.#stops = [];
  }

  list<T extends KubeObject>(resource: MirroredResource): T[] {
    return [...(this.#objects.get(resource)?.values() ?? [])] as T[];
  }

  #apply(resource: MirroredResource, e: WatchEvent): void {
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') return;
    const seenKey = `${resource}:${keyOf(e.object)}`;
    if (rvOf(e.object) < (this.#seen.get(seenKey) ?? 0)) return;
    if (e.type === 'DELETED') {
      // No tombstone is kept (it would grow with every pod ever deleted): a watch delivers in
      // order, so an older ADDED for this key can only come from before the list, and the
      // DELETED that follows it in the same stream removes it again.
      this.#seen.delete(seenKey);
      this.#objects.get(resource)?.delete(keyOf(e.object));
    } else {
      this.#put(resource, e.object);
    }
    this.#changed();
  }

  #put(resource: MirroredResource, o: KubeObject): void {
    const seenKey = `${resource}:${keyOf(o)}`;
    if (rvOf(o) < (this.#seen.get(seenKey) ?? 0)) return;
    this.#seen.set(seenKey, rvOf(o));
    this.#objects.get(resource)?.set(keyOf(o), o);
  }

  #changed(): void {
    this.#generation++;
    for (const l of this.#listeners) l();
  }
}
