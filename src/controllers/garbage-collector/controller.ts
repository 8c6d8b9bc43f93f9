/**
 * The garbage collector, as kube-controller-manager's garbagecollector, over every resource
 * the client serves. Each sweep (after any change, coalesced, and periodically):
 *  - owners being deleted with the `orphan` finalizer: drop their ownerReference from every
 *    dependent, then remove the finalizer;
 *  - owners being deleted with `foregroundDeletion`: delete their dependents, and remove the
 *    finalizer once no dependent with blockOwnerDeletion remains;
 *  - every other object with ownerReferences is classified as upstream's attemptToDeleteItem:
 *    owners that exist and are not foreground-deleting are "solid", absent ones "dangling",
 *    foreground-deleting ones "waiting". With a solid owner, dangling/waiting references are
 *    removed; with none, the object is deleted (Foreground if it has dependents and an owner
 *    is waiting, else by its own finalizers, else Background).
 * An owner whose kind the API does not serve is never treated as absent.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../api/types.js';
import type { PropagationPolicy } from '../client.js';
import { QueueController, type WatchSpec } from '../runtime/queue-controller.js';
import { kindIsServed, type Node_, SKIPPED_RESOURCES, type Snapshot, takeSnapshot } from './snapshot.js';

const SWEEP = 'sweep';
const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

const hasFinalizer = (o: KubeObject, f: string): boolean => (o.metadata.finalizers ?? []).includes(f);
const deletingDependents = (o: KubeObject): boolean =>
  !!o.metadata.deletionTimestamp && hasFinalizer(o, FOREGROUND);
const isNotFound = (e: unknown): boolean => (e as { code?: number }).code === 404;
const isConflict = (e: unknown): boolean => (e as { code?: number }).code === 409;

export class GarbageCollector extends QueueController {
  readonly name = 'garbage-collector';

  protected watches(): readonly WatchSpec[] {
    return this.deps.client
      .resources()
      .filter((r) => !SKIPPED_RESOURCES.has(r.resource))
      .map((r) => ({ resource: r.resource, keysFor: () => [SWEEP] }));
  }

  protected allKeys(): readonly string[] {
    return [SWEEP];
  }

  protected sync(): void {
    const snap = takeSnapshot(this.deps.client);
    let retry = false;
    for (const node of snap.byUid.values()) {
      try {
        this.#process(snap, node);
      } catch (e) {
        // A conflict or a vanished object is resolved by the next sweep; anything else is logged.
        if (!isNotFound(e) && !isConflict(e))
          this.deps.log('garbage-collector: item failed', { error: String(e) });
        retry = true;
      }
    }
    if (retry) this.queue.addAfter(SWEEP, 100);
  }

  #process(snap: Snapshot, node: Node_): void {
    const o = node.object;
    if (o.metadata.deletionTimestamp) {
      if (hasFinalizer(o, ORPHAN)) this.#orphanDependents(snap, node);
      else if (hasFinalizer(o, FOREGROUND)) this.#deleteDependents(snap, node);
      // Upstream leaves objects being deleted alone unless they are deleting dependents.
      if (!deletingDependents(o)) return;
    }
    if ((o.metadata.ownerReferences ?? []).length > 0) this.#attemptToDelete(snap, node);
  }

  #orphanDependents(snap: Snapshot, owner: Node_): void {
    const uid = owner.object.metadata.uid!;
    for (const { node } of snap.dependents.get(uid) ?? []) this.#removeOwnerRefs(node, new Set([uid]));
    this.#removeFinalizer(owner, ORPHAN);
  }

  #deleteDependents(snap: Snapshot, owner: Node_): void {
    const deps = snap.dependents.get(owner.object.metadata.uid!) ?? [];
    const blocking = deps.filter(({ ref }) => ref.blockOwnerDeletion === true);
    if (blocking.length === 0) {
      this.#removeFinalizer(owner, FOREGROUND);
      return;
    }
    // Dependents are deleted through attemptToDelete, which sees this owner as waiting.
  }

  #attemptToDelete(snap: Snapshot, node: Node_): void {
    const o = node.object;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of o.metadata.ownerReferences ?? []) {
      const owner = snap.byUid.get(ref.uid);
      if (!owner) {
        if (kindIsServed(snap, ref)) dangling.push(ref);
        else solid.push(ref);
      } else if (deletingDependents(owner.object)) waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      this.#removeOwnerRefs(node, new Set([...dangling, ...waiting].map((r) => r.uid)));
      return;
    }
    if (o.metadata.deletionTimestamp) return;
    const hasDependents = (snap.dependents.get(o.metadata.uid!) ?? []).length > 0;
    let policy: PropagationPolicy;
    if (waiting.length > 0 && hasDependents) policy = 'Foreground';
    else if (hasFinalizer(o, ORPHAN)) policy = 'Orphan';
    else if (hasFinalizer(o, FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    this.deps.log('garbage-collector: deleting object', {
      resource: node.resource,
      name: o.metadata.name,
      policy,
    });
    this.deps.client.delete(node.resource, o.metadata.namespace ?? '', o.metadata.name!, {
      propagationPolicy: policy,
      preconditions: { uid: o.metadata.uid! },
    });
  }

  #removeOwnerRefs(node: Node_, uids: ReadonlySet<string>): void {
    const fresh = this.#fresh(node);
    if (!fresh) return;
    const refs = fresh.metadata.ownerReferences ?? [];
    const kept = refs.filter((r) => !uids.has(r.uid));
    if (kept.length === refs.length) return;
    if (kept.length) fresh.metadata.ownerReferences = kept;
    else delete fresh.metadata.ownerReferences;
    this.deps.client.update(node.resource, fresh);
  }

  #removeFinalizer(node: Node_, finalizer: string): void {
    const fresh = this.#fresh(node);
    if (!fresh || !hasFinalizer(fresh, finalizer)) return;
    fresh.metadata.finalizers = fresh.metadata.finalizers!.filter((f) => f !== finalizer);
    this.deps.client.update(node.resource, fresh);
  }

  #fresh(node: Node_): KubeObject | undefined {
    const o = node.object;
    const cur = this.deps.client.get(node.resource, o.metadata.namespace ?? '', o.metadata.name!);
    return cur && cur.metadata.uid === o.metadata.uid ? cur : undefined;
  }
}
