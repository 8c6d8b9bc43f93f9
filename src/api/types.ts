/**
 * The object model the API serves. One version per kind (core/v1, apps/v1, ...), as JSON.
 * Typed views come from `kubernetes-types` (type-only, no runtime code); `KubeObject` is the
 * shape every stored object has, whatever its kind.
 */
import type { ObjectMeta as UpstreamObjectMeta } from 'kubernetes-types/meta/v1';

export type { LabelSelector, OwnerReference, Status } from 'kubernetes-types/meta/v1';

/** kubernetes-types marks server-set fields readonly; the server is exactly who sets them. */
export type ObjectMeta = { -readonly [K in keyof UpstreamObjectMeta]: UpstreamObjectMeta[K] };

/** Any API object as stored and served: apiVersion, kind, metadata, and kind-specific fields. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** What the API knows about one resource type: its URL name, kind and discovery facts. */
export interface ResourceInfo {
  /** API group, '' for core. */
  readonly group: string;
  readonly version: string;
  /** Lower-case plural used in URLs: `pods`, `deployments`. */
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  /**
   * A custom resource's schema (apiextensions.k8s.io): the fields of `obj` it does not declare,
   * for fieldValidation, where built-in kinds use the protobuf tables. Unset for built-in kinds.
   */
  readonly customSchema?: {
    unknownFields(obj: KubeObject): string[];
    /** The version's openAPIV3Schema, published in /openapi/v3 for `kubectl explain`. */
    readonly openAPIV3Schema: object;
    /** The scale subresource's JSON paths (`.spec.replicas`), when the version declares one. */
    readonly scale?: {
      readonly specReplicasPath: string;
      readonly statusReplicasPath: string;
      readonly labelSelectorPath?: string;
    };
  };
  /** Subresources discovery lists for a custom resource (built-in kinds: discovery's SUBRESOURCES). */
  readonly subresources?: readonly {
    name: string;
    kind: string;
    group?: string;
    version?: string;
    verbs: readonly string[];
  }[];
}

/** `group/version`, or `version` alone for the core group (as apiVersion is written). */
export const apiVersionOf = (r: Pick<ResourceInfo, 'group' | 'version'>): string =>
  r.group === '' ? r.version : `${r.group}/${r.version}`;

/** The name used in Status messages and details.kind: `pods`, `deployments.apps`. */
export const qualifiedResource = (r: Pick<ResourceInfo, 'group' | 'resource'>): string =>
  r.group === '' ? r.resource : `${r.resource}.${r.group}`;

/** A watch event as the API streams it. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T;
}
