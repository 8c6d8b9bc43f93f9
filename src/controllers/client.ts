/**
 * The narrow, in-process client controllers use to read and write API objects. The registry
 * (src/api/registry) implements it over the store, so every write goes through the same
 * defaulting, validation, optimistic concurrency and watch fan-out as an HTTP request would.
 *
 * Contract, as kube-apiserver's:
 *  - `resource` is the plural URL name (`pods`, `replicasets`, `namespaces`); plurals are unique
 *    across the groups podbay serves. Cluster-scoped resources take namespace ''.
 *  - Reads are served from the watch cache and return deep copies the caller may mutate.
 *  - `update` is a full replace guarded by metadata.resourceVersion: a stale one throws
 *    ApiError 409 Conflict. It cannot change status (use `updateStatus`), as upstream's
 *    strategies ensure. When an object that has deletionTimestamp set loses its last finalizer
 *    (metadata.finalizers, and for namespaces also spec.finalizers) it is removed from the store.
 *  - `delete` honours finalizers: an object with finalizers gets deletionTimestamp and stays
 *    until they are removed. propagationPolicy Foreground adds the `foregroundDeletion`
 *    finalizer, Orphan adds `orphan`; Background (the default) deletes the owner at once and
 *    leaves the dependents to the garbage collector. A missing object throws ApiError 404.
 *  - `watch` delivers every later change of that resource, in resourceVersion order, after the
 *    write is committed; it returns a function that stops the delivery (safe to call twice).
 *    The event's object is the stored one, shared, not a copy: handlers must not mutate it.
 */
import type { KubeObject, WatchEvent } from '../api/types.js';

export interface ListOptions {
  /** '' or absent: every namespace. */
  namespace?: string;
  /** A label selector string (`app=web,tier in (a,b)`). */
  labelSelector?: string;
  /** A field selector string (`metadata.name=x`). */
  fieldSelector?: string;
}

/** One served resource: its plural, scope, API group ('' for core) and kind. */
export interface ServedResource {
  resource: string;
  namespaced: boolean;
  group: string;
  kind: string;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ObjectClient {
  get<T extends KubeObject = KubeObject>(resource: string, namespace: string, name: string): T | undefined;
  list<T extends KubeObject = KubeObject>(resource: string, opts?: ListOptions): T[];
  /**
   * Like `list`, but returns the cached objects themselves, without copying: for full scans
   * (the garbage collector's sweep) that only read. Callers must never mutate what it returns.
   */
  scan<T extends KubeObject = KubeObject>(resource: string, opts?: ListOptions): readonly T[];
  /** metadata.generateName is honoured; the stored object (with uid, resourceVersion, ...) is returned. */
  create<T extends KubeObject>(resource: string, obj: T): T;
  update<T extends KubeObject>(resource: string, obj: T): T;
  /** Writes only `.status` (the status subresource): spec and metadata changes are ignored. */
  updateStatus<T extends KubeObject>(resource: string, obj: T): T;
  delete(resource: string, namespace: string, name: string, opts?: DeleteOptions): void;
  /**
   * Binds a pod to a node (the pods/binding subresource): sets spec.nodeName, which no update may
   * change, and the PodScheduled condition. A pod already bound, or being deleted, is a 409.
   */
  bind(namespace: string, name: string, nodeName: string): KubeObject;
  watch(resource: string, handler: (event: WatchEvent) => void): () => void;
  /** Every resource the API serves, for controllers that sweep all kinds (GC, namespaces). */
  resources(): readonly ServedResource[];
}

/** Emits core/v1 Events as upstream's EventRecorder does (aggregating repeats into `count`). */
export interface EventRecorder {
  event(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: { component: string; host?: string },
  ): void;
}

/** Everything a controller is built with: one typed deps object, with a clock tests can replace. */
export interface ControllerDeps {
  client: ObjectClient;
  events: EventRecorder;
  clock: { now(): Date };
  /** Structured log line; controllers never write to stdout directly. */
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

/** A controller runs until stopped; `start` subscribes and does a first full resync. */
export interface Controller {
  readonly name: string;
  start(): void;
  /** Safe to call twice. */
  stop(): void;
}
