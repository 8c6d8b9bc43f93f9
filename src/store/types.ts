import type { KubeObject } from '../api/types.js';

/** Where an object lives: its resource plural, namespace ('' when cluster-scoped) and name. */
export interface ObjectKey {
  resource: string;
  namespace: string;
  name: string;
}

export const keyString = (k: ObjectKey): string => `${k.resource}/${k.namespace}/${k.name}`;

/** A committed change. `object` carries metadata.resourceVersion = String(revision). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: ObjectKey;
  revision: number;
  object: KubeObject;
  /** The object before this change (absent for ADDED): watchers need it to follow selector transitions. */
  prevObject?: KubeObject;
}

/** One stored object as the cache holds it. `json` is its serialised form, kept so reads need no re-encode. */
export interface StoredObject {
  object: KubeObject;
  json: string;
  revision: number;
}
