/**
 * The generic registry: create, read, update, delete and watch for every kind, over the store,
 * with the kind's Strategy supplying defaults, validation and status rules. It is the one path
 * every write takes — HTTP handlers and in-process controllers alike (it implements the
 * controllers' ObjectClient) — so an object written by a controller is defaulted, validated
 * and versioned exactly like one written by kubectl.
 *
 * Write paths (as rest.BeforeCreate / BeforeUpdate / BeforeDelete):
 *   create: namespace check → name/generateName → system metadata → prepareForCreate →
 *           defaults → mutating admission → afterAdmission → validate → namespace lifecycle →
 *           validating admission → store.create
 *   update: precondition (resourceVersion) → keep system metadata → prepareForUpdate →
 *           defaults → generation → mutating admission → validate → validating admission →
 *           no-op check → finalizers → store.update
 * Admission (../admission) runs on dry-run requests too; only the store write is skipped.
 *   delete: preconditions → propagation finalizers → graceful or immediate
 */
import { randomUUID } from 'node:crypto';
import type { DeleteOptions, ListOptions, ObjectClient, ServedResource } from '../../controllers/client.js';
import type { Store } from '../../store/sqlite-store.js';
import type { StoredObject, StoreEvent } from '../../store/types.js';
import {
  type AdmissionAttributes,
  type AdmissionContext,
  type AdmissionOperation,
  type AdmissionPlugin,
  runAdmit,
  runValidate,
} from '../admission/types.js';
import type { UserInfo } from '../auth/user.js';
import { ApiError, badRequest, conflict, forbidden, notFound, OPTIMISTIC_LOCK_MSG } from '../errors.js';
import type { KubeObject, WatchEvent } from '../types.js';
import { invalid } from '../validation/field.js';
import { hasFinalizers, planDeletion } from './deletion.js';
import { compileFilter } from './filters.js';
import { interpretStoreError } from './interpret.js';
import { validateObjectMetaFor, validateObjectMetaUpdateFor } from './object-meta.js';
import { assignPod } from './pods/binding.js';
import type { Strategy } from './strategy.js';
import { setTypeMeta } from './type-meta.js';
import { generateNameSuffix, nowRFC3339 } from './util.js';

/** Namespaces that exist from the start and may never be deleted (upstream's immortal namespaces). */
export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'] as const;

/** How many names generateName tries before giving up (upstream: 8 makes a clash vanishingly rare). */
const MAX_NAME_GENERATION_ATTEMPTS = 8;

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** The caller maintained managedFields itself (server-side apply records Apply entries). */
  managedFieldsDone?: boolean;
  /** The requesting user (HTTP writes), for admission checks that depend on who asks. */
  user?: UserInfo;
}

export interface RegistryDeps {
  store: Store;
  strategies: readonly Strategy[];
  clock: { now(): Date };
  /** Called on every write so managedFields can be maintained (set by the HTTP layer's wiring). */
  onWrite?: (old: KubeObject | undefined, obj: KubeObject, manager: string, subresource?: 'status') => void;
  /** Admission plugins, in the order they run (none by default; the engine passes admissionPlugins()). */
  admission?: readonly AdmissionPlugin[];
}

export { hasFinalizers };

export class Registry implements ObjectClient {
  readonly #store: Store;
  readonly #byResource = new Map<string, Strategy>();
  /** The custom resources of the established CRDs (../apiextensions/serving.ts keeps it current). */
  #custom = new Map<string, Strategy>();
  readonly #clock: { now(): Date };
  readonly #onWrite: RegistryDeps['onWrite'];
  readonly #admission: readonly AdmissionPlugin[];
  readonly #admissionContext: AdmissionContext;

  constructor(deps: RegistryDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#onWrite = deps.onWrite;
    this.#admission = deps.admission ?? [];
    this.#admissionContext = {
      list: (resource, namespace) => this.#store.list(resource, namespace).map((o) => o.object),
      updateStatus: (resource, obj) => this.updateStatus(resource, obj),
      now: () => this.#clock.now(),
    };
    for (const s of deps.strategies) this.#byResource.set(s.info.resource, s);
  }

  get store(): Store {
    return this.#store;
  }

  strategy(resource: string): Strategy {
    const s = this.#byResource.get(resource) ?? this.#custom.get(resource);
    if (!s) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return s;
  }

  strategies(): Strategy[] {
    return [...this.#byResource.values(), ...this.#custom.values()];
  }

  /**
   * Replaces the served custom resources. A plural a built-in kind already has is skipped (objects
   * are stored by plural): returns the skipped ones.
   */
  setCustomStrategies(list: readonly Strategy[]): Strategy[] {
    const next = new Map<string, Strategy>();
    const skipped: Strategy[] = [];
    for (const s of list) {
      if (this.#byResource.has(s.info.resource) || next.has(s.info.resource)) skipped.push(s);
      else next.set(s.info.resource, s);
    }
    this.#custom = next;
    return skipped;
  }

  resources(): readonly ServedResource[] {
    return this.strategies().map(({ info }) => ({
      resource: info.resource,
      namespaced: info.namespaced,
      group: info.group,
      kind: info.kind,
    }));
  }

  #attributes(
    operation: AdmissionOperation,
    s: Strategy,
    object: KubeObject,
    oldObject: KubeObject | undefined,
    subresource: string,
    opts: WriteOptions,
  ): AdmissionAttributes {
    return {
      operation,
      resource: s.info,
      subresource,
      namespace: object.metadata.namespace ?? '',
      name: object.metadata.name ?? '',
      object,
      oldObject,
      dryRun: opts.dryRun === true,
      ...(opts.user && { user: opts.user }),
      context: this.#admissionContext,
    };
  }

  #key(s: Strategy, namespace: string, name: string) {
    return { resource: s.info.resource, namespace: s.info.namespaced ? namespace : '', name };
  }

  // ---- reads --------------------------------------------------------------------------------

  getStored(resource: string, namespace: string, name: string): StoredObject | undefined {
    const s = this.strategy(resource);
    return this.#store.get(this.#key(s, namespace, name));
  }

  get<T extends KubeObject = KubeObject>(resource: string, namespace: string, name: string): T | undefined {
    const o = this.getStored(resource, namespace, name);
    return o ? (structuredClone(o.object) as T) : undefined;
  }

  /** Like get, but a missing object is a 404 ApiError. */
  mustGet(resource: string, namespace: string, name: string): StoredObject {
    const o = this.getStored(resource, namespace, name);
    if (!o) throw notFound(this.strategy(resource).info, name);
    return o;
  }

  listStored(resource: string, opts: ListOptions = {}): StoredObject[] {
    const s = this.strategy(resource);
    const filter = compileFilter(resource, opts);
    const items = this.#store.list(resource, s.info.namespaced ? opts.namespace || undefined : undefined);
    return filter ? items.filter((o) => filter(o.object)) : items;
  }

  scan<T extends KubeObject = KubeObject>(resource: string, opts: ListOptions = {}): readonly T[] {
    return this.listStored(resource, opts).map((o) => o.object as T);
  }

  list<T extends KubeObject = KubeObject>(resource: string, opts: ListOptions = {}): T[] {
    return this.listStored(resource, opts).map((o) => structuredClone(o.object) as T);
  }

  // ---- create -------------------------------------------------------------------------------

  create<T extends KubeObject>(resource: string, obj: T, opts: WriteOptions = {}): T {
    const namespace = obj.metadata?.namespace ?? '';
    return this.createIn(resource, namespace, obj, opts) as T;
  }

  /** Create as POST to a namespace's collection: `urlNamespace` is the namespace in the URL. */
  createIn(resource: string, urlNamespace: string, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const s = this.strategy(resource);
    const obj = structuredClone(input);
    setTypeMeta(s.info, obj);
    obj.metadata ??= {};
    const meta = obj.metadata;
    if (s.info.namespaced) {
      if (meta.namespace && urlNamespace && meta.namespace !== urlNamespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = urlNamespace || meta.namespace || 'default';
    } else {
      delete meta.namespace;
    }
    const now = nowRFC3339(this.#clock.now());
    meta.uid = randomUUID();
    meta.creationTimestamp = now;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (s.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    // The name is generated first, so defaults that derive from it (a Namespace's
    // kubernetes.io/metadata.name label) see the final name.
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = meta.generateName + generateNameSuffix();
    s.prepareForCreate(obj);
    s.defaults(obj);
    s.allocate?.(obj, undefined);
    const attrs = this.#attributes('CREATE', s, obj, undefined, '', opts);
    runAdmit(this.#admission, attrs);
    s.afterAdmission?.(obj);
    const errs = [...validateObjectMetaFor(s, obj), ...s.validate(obj), ...s.validateCreate(obj)];
    if (errs.length) throw invalid(s.info.group, s.info.kind, meta.name ?? '', errs);
    if (s.info.namespaced) this.#checkNamespaceAcceptsContent(meta.namespace!);
    runValidate(this.#admission, attrs);
    if (!opts.managedFieldsDone) this.#onWrite?.(undefined, obj, opts.fieldManager ?? '');
    if (opts.dryRun) return obj;
    for (let attempt = 1; ; attempt++) {
      try {
        return structuredClone(
          this.#store.create(this.#key(s, meta.namespace ?? '', meta.name!), obj).object,
        );
      } catch (e) {
        if (
          generated &&
          attempt < MAX_NAME_GENERATION_ATTEMPTS &&
          (e as { code?: string }).code === 'Exists'
        ) {
          meta.name = meta.generateName + generateNameSuffix();
          continue;
        }
        throw interpretStoreError(e, s.info, meta.name!);
      }
    }
  }

  #checkNamespaceAcceptsContent(namespace: string): void {
    const ns = this.#store.get({ resource: 'namespaces', namespace: '', name: namespace });
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.object.metadata.deletionTimestamp) {
      throw forbidden(
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: namespace,
          kind: 'namespaces',
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }

  // ---- update -------------------------------------------------------------------------------

  update<T extends KubeObject>(resource: string, obj: T, opts: WriteOptions = {}): T {
    return this.updateIn(
      resource,
      obj.metadata.namespace ?? '',
      obj.metadata.name ?? '',
      obj,
      false,
      opts,
    ) as T;
  }

  updateStatus<T extends KubeObject>(resource: string, obj: T, opts: WriteOptions = {}): T {
    return this.updateIn(
      resource,
      obj.metadata.namespace ?? '',
      obj.metadata.name ?? '',
      obj,
      true,
      opts,
    ) as T;
  }

  /**
   * PUT semantics: replace the object at namespace/name. `statusOnly` is the /status subresource:
   * only `.status` is taken from the input. A stale metadata.resourceVersion is a 409 Conflict.
   */
  updateIn(
    resource: string,
    namespace: string,
    name: string,
    input: KubeObject,
    statusOnly: boolean,
    opts: WriteOptions = {},
  ): KubeObject {
    const s = this.strategy(resource);
    const key = this.#key(s, namespace, name);
    const current = this.#store.get(key);
    const obj = structuredClone(input);
    setTypeMeta(s.info, obj);
    obj.metadata ??= {};
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    if (s.info.namespaced && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (!current) {
      if (!s.allowCreateOnUpdate || statusOnly) throw notFound(s.info, name);
      obj.metadata.name = name;
      return this.createIn(resource, namespace, obj, opts);
    }
    const old = current.object;
    const rv = obj.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) {
      throw conflict(s.info, name, OPTIMISTIC_LOCK_MSG);
    }
    if (obj.metadata.uid && obj.metadata.uid !== old.metadata.uid) {
      throw conflict(
        s.info,
        name,
        `Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    let next: KubeObject;
    if (statusOnly) {
      next = structuredClone(old);
      if ('status' in obj) next.status = obj.status;
      else delete next.status;
    } else {
      next = obj;
      const m = next.metadata;
      // System metadata is the server's: a client copy cannot move it.
      m.name = name;
      if (s.info.namespaced) m.namespace = namespace;
      else delete m.namespace;
      m.uid = old.metadata.uid!;
      m.creationTimestamp = old.metadata.creationTimestamp!;
      if (old.metadata.deletionTimestamp) {
        m.deletionTimestamp = old.metadata.deletionTimestamp;
        if (old.metadata.deletionGracePeriodSeconds !== undefined)
          m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      } else {
        delete m.deletionTimestamp;
        delete m.deletionGracePeriodSeconds;
      }
      if (old.metadata.generation !== undefined) m.generation = old.metadata.generation;
      s.prepareForUpdate(next, old);
      s.defaults(next);
      s.allocate?.(next, old);
      if (s.tracksGeneration && JSON.stringify(next.spec) !== JSON.stringify(old.spec)) {
        m.generation = (old.metadata.generation ?? 0) + 1;
      }
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion!;
    const attrs = this.#attributes('UPDATE', s, next, old, statusOnly ? 'status' : '', opts);
    runAdmit(this.#admission, attrs);
    const errs = [
      ...validateObjectMetaFor(s, next),
      ...validateObjectMetaUpdateFor(next, old),
      ...s.validate(next),
      ...s.validateUpdate(next, old),
    ];
    if (errs.length) throw invalid(s.info.group, s.info.kind, name, errs);
    runValidate(this.#admission, attrs);
    if (!opts.managedFieldsDone)
      this.#onWrite?.(old, next, opts.fieldManager ?? '', statusOnly ? 'status' : undefined);
    // A write that changes nothing is not a write: no new resourceVersion, no watch event.
    if (JSON.stringify(next) === current.json) return structuredClone(old);
    if (opts.dryRun) return next;
    try {
      // The last finalizer gone removes the object, unless a grace period still runs (a pod whose
      // kubelet has not confirmed it stopped): then the kubelet's final delete does (upstream's
      // shouldDeleteDuringUpdate).
      if (
        next.metadata.deletionTimestamp &&
        !hasFinalizers(next) &&
        !((old.metadata.deletionGracePeriodSeconds ?? 0) > 0)
      ) {
        return structuredClone(this.#store.delete(key, current.revision).object);
      }
      return structuredClone(this.#store.update(key, next, current.revision).object);
    } catch (e) {
      throw interpretStoreError(e, s.info, name);
    }
  }

  // ---- delete -------------------------------------------------------------------------------

  delete(resource: string, namespace: string, name: string, opts: DeleteOptions = {}): void {
    this.deleteIn(resource, namespace, name, opts);
  }

  /** Returns the object as deleted, or as now terminating when finalizers or a grace period hold it. */
  deleteIn(
    resource: string,
    namespace: string,
    name: string,
    opts: DeleteOptions & WriteOptions = {},
  ): KubeObject {
    const s = this.strategy(resource);
    const key = this.#key(s, namespace, name);
    const current = this.#store.get(key);
    if (!current) throw notFound(s.info, name);
    const old = current.object;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw conflict(
        s.info,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        s.info,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    if (resource === 'namespaces' && (IMMORTAL_NAMESPACES as readonly string[]).includes(name)) {
      throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, {
        name,
        kind: 'namespaces',
      });
    }
    const grace = old.metadata.deletionTimestamp ? 0 : (s.gracePeriod?.(old, opts.gracePeriodSeconds) ?? 0);
    const plan = planDeletion(old, opts.propagationPolicy, grace, this.#clock.now());
    if (opts.dryRun) return plan.kind === 'mark' ? plan.next : structuredClone(old);
    try {
      if (plan.kind === 'remove') return structuredClone(this.#store.delete(key, current.revision).object);
      if (JSON.stringify(plan.next) === current.json) return structuredClone(old);
      return structuredClone(this.#store.update(key, plan.next, current.revision).object);
    } catch (e) {
      throw interpretStoreError(e, s.info, name);
    }
  }

  // ---- binding ------------------------------------------------------------------------------

  /** pods/binding, as upstream's BindingREST.assignPod: nodeName and PodScheduled=True, once. */
  bind(namespace: string, name: string, nodeName: string): KubeObject {
    const s = this.strategy('pods');
    const key = this.#key(s, namespace, name);
    const current = this.#store.get(key);
    if (!current) throw notFound(s.info, name);
    const pod = assignPod(current.object, nodeName, this.#clock.now());
    try {
      return structuredClone(this.#store.update(key, pod, current.revision).object);
    } catch (e) {
      throw interpretStoreError(e, s.info, name);
    }
  }

  // ---- watch --------------------------------------------------------------------------------

  /**
   * Live changes of a resource, for in-process controllers (every namespace, no filter). The
   * event carries the stored object itself, not a copy: handlers read it (to compute work-queue
   * keys) and must never mutate it; a deep copy per controller per event would dominate writes.
   */
  watch(resource: string, handler: (event: WatchEvent) => void): () => void {
    this.strategy(resource);
    return this.#store.subscribe((e: StoreEvent) => {
      if (e.key.resource !== resource) return;
      handler({ type: e.type, object: e.object });
    });
  }
}
