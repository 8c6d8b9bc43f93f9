/**
 * A consistent view of every object the garbage collector can see, taken in one synchronous
 * pass over the client (no write can interleave on Node's single thread): objects by uid and
 * the dependents of each uid. This stands in for upstream's dependency graph builder; it is
 * rebuilt on every sweep, which is cheap at podbay's scale and cannot drift from the store.
 * Events are left out: they are never owners or dependents in practice and are the busiest
 * resource.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../api/types.js';
import type { ObjectClient } from '../client.js';

export interface Node_ {
  resource: string;
  /** The cached object itself (from `scan`): read it, never mutate it. */
  object: KubeObject;
}

export interface Snapshot {
  byUid: ReadonlyMap<string, Node_>;
  /** owner uid → the objects naming it in ownerReferences, with that reference. */
  dependents: ReadonlyMap<string, readonly { node: Node_; ref: OwnerReference }[]>;
  /** `Kind.group` of every kind the API serves → its resource. */
  kindToResource: ReadonlyMap<string, string>;
}

export const SKIPPED_RESOURCES = new Set(['events']);

export function takeSnapshot(client: ObjectClient): Snapshot {
  const byUid = new Map<string, Node_>();
  const dependents = new Map<string, { node: Node_; ref: OwnerReference }[]>();
  const kindToResource = new Map<string, string>();
  for (const { resource, group, kind } of client.resources()) {
    kindToResource.set(`${kind}.${group}`, resource);
    if (SKIPPED_RESOURCES.has(resource)) continue;
    for (const object of client.scan(resource)) {
      const node = { resource, object };
      if (object.metadata.uid) byUid.set(object.metadata.uid, node);
      for (const ref of object.metadata.ownerReferences ?? []) {
        let list = dependents.get(ref.uid);
        if (!list) {
          list = [];
          dependents.set(ref.uid, list);
        }
        list.push({ node, ref });
      }
    }
  }
  return { byUid, dependents, kindToResource };
}

/** `Kind.group` ('' group for core), the identity of a kind across versions. */
export function groupKind(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  return `${kind}.${slash < 0 ? '' : apiVersion.slice(0, slash)}`;
}

/** Whether an ownerReference names a kind the API serves (an owner of another kind is never found). */
export function kindIsServed(snap: Snapshot, ref: OwnerReference): boolean {
  return snap.kindToResource.has(groupKind(ref.apiVersion, ref.kind));
}
