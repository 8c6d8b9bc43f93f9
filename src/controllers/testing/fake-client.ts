/**
 * An in-memory ObjectClient honouring the documented contract of src/controllers/client.ts,
 * for controller unit tests. It is the source of truth for its objects and assigns
 * resourceVersion (one counter for all resources), uid, generateName suffixes, generation
 * (bumped when anything but metadata and status changes) and creationTimestamp.
 *  - update: 409 on a stale resourceVersion; status is kept (use updateStatus);
 *  - delete: finalizers and propagation policies as the registry does (Foreground adds
 *    `foregroundDeletion`, Orphan adds `orphan`), namespaces go Terminating and wait for the
 *    `kubernetes` spec finalizer; an object is removed when its last finalizer goes;
 *  - watch: events are delivered after the write returns, in resourceVersion order, on a later
 *    macrotask (as a real watch would), so tests exercise the controllers' expectations.
 * Creates in a namespace that is being deleted fail with 403 Forbidden, as upstream's
 * NamespaceLifecycle admission does.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, alreadyExists, conflict, notFound, OPTIMISTIC_LOCK_MSG } from '../../api/errors.js';
import { parseFieldSelector } from '../../api/selectors/field-selector.js';
import { parseLabelSelector } from '../../api/selectors/label-selector.js';
import type { KubeObject, ObjectMeta, WatchEvent } from '../../api/types.js';
import type { DeleteOptions, ListOptions, ObjectClient, ServedResource } from '../client.js';
import { applyTestDefaults } from './fake-defaults.js';

export type FakeResource = ServedResource;

export const DEFAULT_RESOURCES: readonly FakeResource[] = [
  { resource: 'namespaces', namespaced: false, group: '', kind: 'Namespace' },
  { resource: 'nodes', namespaced: false, group: '', kind: 'Node' },
  { resource: 'pods', namespaced: true, group: '', kind: 'Pod' },
  { resource: 'services', namespaced: true, group: '', kind: 'Service' },
  { resource: 'endpoints', namespaced: true, group: '', kind: 'Endpoints' },
  { resource: 'configmaps', namespaced: true, group: '', kind: 'ConfigMap' },
  { resource: 'secrets', namespaced: true, group: '', kind: 'Secret' },
  { resource: 'serviceaccounts', namespaced: true, group: '', kind: 'ServiceAccount' },
  { resource: 'events', namespaced: true, group: '', kind: 'Event' },
  { resource: 'deployments', namespaced: true, group: 'apps', kind: 'Deployment' },
  { resource: 'replicasets', namespaced: true, group: 'apps', kind: 'ReplicaSet' },
  { resource: 'daemonsets', namespaced: true, group: 'apps', kind: 'DaemonSet' },
  { resource: 'statefulsets', namespaced: true, group: 'apps', kind: 'StatefulSet' },
  { resource: 'controllerrevisions', namespaced: true, group: 'apps', kind: 'ControllerRevision' },
  { resource: 'jobs', namespaced: true, group: 'batch', kind: 'Job' },
  { resource: 'cronjobs', namespaced: true, group: 'batch', kind: 'CronJob' },
  {
    resource: 'horizontalpodautoscalers',
    namespaced: true,
    group: 'autoscaling',
    kind: 'HorizontalPodAutoscaler',
  },
  { resource: 'persistentvolumeclaims', namespaced: true, group: '', kind: 'PersistentVolumeClaim' },
  { resource: 'persistentvolumes', namespaced: false, group: '', kind: 'PersistentVolume' },
  { resource: 'storageclasses', namespaced: false, group: 'storage.k8s.io', kind: 'StorageClass' },
];

/** Resources whose status is a subresource: update keeps it, updateStatus writes only it. */
const NO_STATUS_SUBRESOURCE = new Set([
  'configmaps',
  'secrets',
  'serviceaccounts',
  'events',
  'endpoints',
  'controllerrevisions',
  'storageclasses',
]);

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const META_KEYS_NOT_SPEC = new Set(['metadata', 'status', 'apiVersion', 'kind']);

export interface FakeClientOptions {
  resources?: readonly FakeResource[];
  clock?: { now(): Date };
}

export class FakeClient implements ObjectClient {
  readonly #resources: readonly FakeResource[];
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #handlers = new Map<string, Set<(e: WatchEvent) => void>>();
  readonly #pending: { resource: string; event: WatchEvent }[] = [];
  readonly #clock: { now(): Date };
  #rv = 0;
  #flushScheduled = false;
  /** Every write, in order, for assertions: `create pods default/web-abc-x`. */
  readonly writes: string[] = [];

  constructor(opts: FakeClientOptions = {}) {
    this.#resources = opts.resources ?? DEFAULT_RESOURCES;
    this.#clock = opts.clock ?? { now: () => new Date() };
    for (const r of this.#resources) this.#objects.set(r.resource, new Map());
  }

  resources(): readonly ServedResource[] {
    return this.#resources;
  }

  scan<T extends KubeObject = KubeObject>(resource: string, opts: ListOptions = {}): readonly T[] {
    return this.list<T>(resource, opts);
  }

  get<T extends KubeObject = KubeObject>(resource: string, namespace: string, name: string): T | undefined {
    const o = this.#table(resource).get(this.#key(resource, namespace, name));
    return o ? (structuredClone(o) as T) : undefined;
  }

  list<T extends KubeObject = KubeObject>(resource: string, opts: ListOptions = {}): T[] {
    const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
    const fields = opts.fieldSelector ? parseFieldSelector(resource, opts.fieldSelector) : undefined;
    const out: T[] = [];
    for (const o of this.#table(resource).values()) {
      if (opts.namespace && o.metadata.namespace !== opts.namespace) continue;
      if (labels && !labels.matches(o.metadata.labels)) continue;
      if (fields && !fields.matches(o)) continue;
      out.push(structuredClone(o) as T);
    }
    return out.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  }

  create<T extends KubeObject>(resource: string, input: T): T {
    const info = this.#info(resource);
    const obj = structuredClone(input) as KubeObject;
    const ns = info.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
    if (ns) {
      obj.metadata.namespace = ns;
      const nsObj = this.#table('namespaces').get(ns);
      if (nsObj?.metadata.deletionTimestamp) {
        throw new ApiError(
          403,
          'Forbidden',
          `${resource} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        );
      }
    } else delete obj.metadata.namespace;
    if (!obj.metadata.name) {
      if (!obj.metadata.generateName)
        throw new ApiError(400, 'BadRequest', 'name or generateName is required');
      obj.metadata.name = obj.metadata.generateName + randomSuffix();
    }
    const key = this.#key(resource, ns ?? '', obj.metadata.name);
    if (this.#table(resource).has(key))
      throw alreadyExists({ group: info.group, resource }, obj.metadata.name);
    meta(obj).uid = randomUUID();
    meta(obj).creationTimestamp = this.#clock
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    meta(obj).generation = 1;
    delete meta(obj).deletionTimestamp;
    applyTestDefaults(resource, obj);
    meta(obj).resourceVersion = String(++this.#rv);
    this.#table(resource).set(key, obj);
    this.#emit(resource, 'ADDED', obj, `create ${resource} ${key}`);
    return structuredClone(obj) as T;
  }

  update<T extends KubeObject>(resource: string, input: T): T {
    const old = this.#current(resource, input);
    const obj = structuredClone(input) as KubeObject;
    obj.metadata = {
      ...obj.metadata,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      namespace: old.metadata.namespace,
      generation: old.metadata.generation,
      deletionTimestamp: old.metadata.deletionTimestamp,
      deletionGracePeriodSeconds: old.metadata.deletionGracePeriodSeconds,
    };
    if (!NO_STATUS_SUBRESOURCE.has(resource)) {
      if ('status' in old) obj.status = structuredClone(old.status);
      else delete obj.status;
    }
    // A deleting object may lose finalizers but never gain new ones (upstream forbids it).
    if (old.metadata.deletionTimestamp) {
      const before = new Set(old.metadata.finalizers ?? []);
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f) => before.has(f));
    }
    if (JSON.stringify(specOf(old)) !== JSON.stringify(specOf(obj)))
      meta(obj).generation = (old.metadata.generation ?? 1) + 1;
    return this.#commit(resource, obj, `update ${resource}`);
  }

  bind(namespace: string, name: string, nodeName: string): KubeObject {
    const pod = this.get('pods', namespace, name);
    if (!pod) throw Object.assign(new Error(`pods "${name}" not found`), { code: 404 });
    const spec = pod.spec as { nodeName?: string };
    if (spec.nodeName || pod.metadata.deletionTimestamp) {
      throw Object.assign(new Error(`pod ${name} cannot be assigned`), { code: 409 });
    }
    spec.nodeName = nodeName;
    const withStatus = pod as { status?: { conditions?: { type: string; status: string }[] } };
    withStatus.status ??= {};
    const status = withStatus.status;
    status.conditions = [
      ...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
      { type: 'PodScheduled', status: 'True' },
    ];
    // The fake's update keeps the stored status; write spec then status, as two writes.
    const bound = this.update('pods', { ...pod, status: undefined } as KubeObject);
    return this.updateStatus('pods', { ...bound, status });
  }

  updateStatus<T extends KubeObject>(resource: string, input: T): T {
    const old = this.#current(resource, input);
    const obj = structuredClone(old);
    if (input.status === undefined) delete obj.status;
    else obj.status = structuredClone(input.status);
    return this.#commit(resource, obj, `updateStatus ${resource}`);
  }

  delete(resource: string, namespace: string, name: string, opts: DeleteOptions = {}): void {
    const info = this.#info(resource);
    const key = this.#key(resource, namespace, name);
    const old = this.#table(resource).get(key);
    if (!old) throw notFound({ group: info.group, resource }, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw conflict(
        { group: info.group, resource },
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict({ group: info.group, resource }, name, OPTIMISTIC_LOCK_MSG);
    }
    const obj = structuredClone(old);
    const finalizers = new Set(obj.metadata.finalizers ?? []);
    if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan');
    if (opts.propagationPolicy === 'Foreground' || opts.propagationPolicy === 'Orphan') {
      // A new policy replaces the other policy finalizer, as the registry's deletion strategy does.
      finalizers.delete(opts.propagationPolicy === 'Foreground' ? 'orphan' : 'foregroundDeletion');
    }
    const specFinalizers =
      resource === 'namespaces'
        ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [])
        : [];
    if (finalizers.size === 0 && specFinalizers.length === 0) {
      this.#remove(resource, key, obj);
      return;
    }
    if (obj.metadata.deletionTimestamp && sameSet(finalizers, obj.metadata.finalizers ?? [])) return;
    obj.metadata.finalizers = [...finalizers];
    meta(obj).deletionTimestamp ??= this.#clock
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    meta(obj).deletionGracePeriodSeconds = 0;
    if (resource === 'namespaces') obj.status = { ...((obj.status as object) ?? {}), phase: 'Terminating' };
    meta(obj).resourceVersion = String(++this.#rv);
    this.#table(resource).set(key, obj);
    this.#emit(resource, 'MODIFIED', obj, `delete ${resource} ${key} (finalizing)`);
  }

  watch(resource: string, handler: (event: WatchEvent) => void): () => void {
    this.#info(resource);
    const set = this.#handlers.get(resource) ?? new Set();
    this.#handlers.set(resource, set);
    set.add(handler);
    return () => set.delete(handler);
  }

  /** No watch event is waiting to be delivered. */
  isQuiet(): boolean {
    return this.#pending.length === 0;
  }

  #commit<T extends KubeObject>(resource: string, obj: KubeObject, what: string): T {
    const key = this.#key(resource, obj.metadata.namespace ?? '', obj.metadata.name!);
    const specFinalizers =
      resource === 'namespaces'
        ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [])
        : [];
    if (
      obj.metadata.deletionTimestamp &&
      (obj.metadata.finalizers ?? []).length === 0 &&
      specFinalizers.length === 0
    ) {
      this.#remove(resource, key, obj);
      return structuredClone(obj) as T;
    }
    meta(obj).resourceVersion = String(++this.#rv);
    this.#table(resource).set(key, obj);
    this.#emit(resource, 'MODIFIED', obj, `${what} ${key}`);
    return structuredClone(obj) as T;
  }

  #remove(resource: string, key: string, obj: KubeObject): void {
    this.#table(resource).delete(key);
    meta(obj).resourceVersion = String(++this.#rv);
    this.#emit(resource, 'DELETED', obj, `remove ${resource} ${key}`);
  }

  #current(resource: string, input: KubeObject): KubeObject {
    const info = this.#info(resource);
    const ns = info.namespaced ? (input.metadata.namespace ?? 'default') : '';
    const name = input.metadata.name ?? '';
    const old = this.#table(resource).get(this.#key(resource, ns, name));
    if (!old) throw notFound({ group: info.group, resource }, name);
    if (input.metadata.resourceVersion && input.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict({ group: info.group, resource }, name, OPTIMISTIC_LOCK_MSG);
    }
    return old;
  }

  #emit(resource: string, type: WatchEvent['type'], obj: KubeObject, what: string): void {
    this.writes.push(what);
    this.#pending.push({ resource, event: { type, object: structuredClone(obj) } });
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      while (this.#pending.length > 0) {
        const { resource: r, event } = this.#pending.shift()!;
        for (const h of this.#handlers.get(r) ?? []) h(structuredClone(event));
      }
    });
  }

  #info(resource: string): FakeResource {
    const info = this.#resources.find((r) => r.resource === resource);
    if (!info)
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${resource})`);
    return info;
  }
  #table(resource: string): Map<string, KubeObject> {
    this.#info(resource);
    return this.#objects.get(resource)!;
  }
  #key(resource: string, namespace: string, name: string): string {
    return this.#info(resource).namespaced ? `${namespace}/${name}` : name;
  }
}

/** kubernetes-types marks server-set fields readonly; the fake is the server that sets them. */
type MutableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };
const meta = (o: KubeObject): MutableMeta => o.metadata as MutableMeta;

function specOf(o: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!META_KEYS_NOT_SPEC.has(k)) out[k] = v;
  return out;
}

function sameSet(a: Set<string>, b: readonly string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x));
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return s;
}
