/**
 * The ReplicaSet controller, as kube-controller-manager's replicaset controller: keeps
 * spec.replicas active pods matching each ReplicaSet's selector, adopting orphans and
 * releasing pods that stopped matching, and writes status. Sync of one ReplicaSet:
 *  1. list the active pods of its namespace and claim those it selects;
 *  2. if the expectations from its last writes are met, create (from the template, in
 *     slow-start batches of 1, 2, 4, ...) or delete (ranked by pod-ranking.ts) the difference;
 *  3. write status; when pods are ready but not yet available, requeue after minReadySeconds.
 * Events (component `replicaset-controller`): SuccessfulCreate `Created pod: X`,
 * SuccessfulDelete `Deleted pod: X`, FailedCreate `Error creating: ...`,
 * FailedDelete `Error deleting: ...`.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { WatchEvent } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { claimObjects } from '../util/claim.js';
import { controllerOf, keyOf } from '../util/owners.js';
import { controllerKeysForPodEvent, podSelectorOf } from '../util/pod-controllers.js';
import { isPodActive } from '../util/pods.js';
import { Expectations } from './expectations.js';
import { podsToDelete } from './pod-ranking.js';
import { podFromTemplate } from './pod-template.js';
import { calculateStatus, type RS, writeStatus } from './status.js';

const COMPONENT = { component: 'replicaset-controller' };
/** upstream's BurstReplicas: at most this many creates or deletes per sync. */
const BURST_REPLICAS = 500;

type PodObj = Pod & { metadata: NonNullable<Pod['metadata']> } & WatchEvent['object'];

export class ReplicaSetController extends QueueController {
  readonly name = 'replicaset';
  readonly #expectations: Expectations;

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
    this.#expectations = new Expectations(() => deps.clock.now().getTime());
  }

  protected watches(): readonly WatchSpec[] {
    return [
      {
        resource: 'replicasets',
        keysFor: (ev) => {
          if (ev.type === 'DELETED') this.#expectations.forget(keyOf(ev.object));
          return [keyOf(ev.object)];
        },
      },
      { resource: 'pods', keysFor: (ev) => this.#keysForPod(ev) },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.list('replicasets').map(keyOf);
  }

  #keysForPod(ev: WatchEvent): readonly string[] {
    return controllerKeysForPodEvent(ev, 'ReplicaSet', this.#expectations, (namespace) =>
      this.deps.client.list<RS>('replicasets', { namespace }),
    );
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client } = this.deps;
    const rs = client.get<RS>('replicasets', namespace, name);
    if (!rs) {
      this.#expectations.forget(key);
      return;
    }
    const selector = podSelectorOf(rs);
    const active = client.list<PodObj>('pods', { namespace }).filter(isPodActive);
    const owned = claimObjects(client, 'pods', rs, active, (p) => selector.matches(p.metadata.labels));
    let manageError: unknown;
    if (this.#expectations.satisfied(key) && !rs.metadata.deletionTimestamp) {
      try {
        this.#manageReplicas(key, rs, owned);
      } catch (e) {
        manageError = e;
      }
    }
    const now = this.deps.clock.now();
    const updated = writeStatus(client, rs, calculateStatus(rs, owned, manageError, now));
    const replicas = updated.spec?.replicas ?? 1;
    const minReady = updated.spec?.minReadySeconds ?? 0;
    if (
      !manageError &&
      minReady > 0 &&
      updated.status?.readyReplicas === replicas &&
      updated.status?.availableReplicas !== replicas
    ) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError) throw manageError;
  }

  #manageReplicas(key: string, rs: RS, owned: readonly PodObj[]): void {
    const diff = owned.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) this.#createPods(key, rs, Math.min(-diff, BURST_REPLICAS));
    else if (diff > 0) this.#deletePods(key, rs, owned, Math.min(diff, BURST_REPLICAS));
  }

  /** upstream's slowStartBatch: batches of 1, 2, 4, ...; stop after a batch with a failure. */
  #createPods(key: string, rs: RS, count: number): void {
    const { client, events } = this.deps;
    this.#expectations.expectCreations(key, count);
    let remaining = count;
    let batch = 1;
    let firstError: unknown;
    while (remaining > 0 && firstError === undefined) {
      const size = Math.min(batch, remaining);
      for (let i = 0; i < size; i++) {
        try {
          const pod = client.create('pods', podFromTemplate(rs));
          events.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
        } catch (e) {
          this.#expectations.creationObserved(key);
          if (isNamespaceTerminating(e)) continue;
          events.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`, COMPONENT);
          firstError ??= e;
        }
      }
      remaining -= size;
      batch *= 2;
    }
    // Pods never attempted will never be observed: lower the expectation for them too.
    for (let i = 0; i < remaining; i++) this.#expectations.creationObserved(key);
    if (firstError !== undefined) throw firstError;
  }

  #deletePods(key: string, rs: RS, owned: readonly PodObj[], count: number): void {
    const { client, events } = this.deps;
    const victims = podsToDelete(owned, this.#relatedPods(rs), count, this.deps.clock.now());
    this.#expectations.expectDeletions(
      key,
      victims.map((p) => p.metadata!.uid!),
    );
    let firstError: unknown;
    for (const pod of victims) {
      const podName = pod.metadata!.name!;
      try {
        client.delete('pods', rs.metadata.namespace!, podName);
        events.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`, COMPONENT);
      } catch (e) {
        this.#expectations.deletionObserved(key, pod.metadata!.uid!);
        if ((e as { code?: number }).code === 404) continue;
        events.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`, COMPONENT);
        firstError ??= e;
      }
    }
    if (firstError !== undefined) throw firstError;
  }

  /** Active pods of every ReplicaSet controlled by the same owner as `rs` (rs itself if none). */
  #relatedPods(rs: RS): Pod[] {
    const { client } = this.deps;
    const ownerUid = controllerOf(rs)?.uid;
    const siblings = new Set(
      ownerUid
        ? client
            .list<RS>('replicasets', { namespace: rs.metadata.namespace })
            .filter((o) => controllerOf(o)?.uid === ownerUid)
            .map((o) => o.metadata.uid)
        : [rs.metadata.uid],
    );
    return client
      .list<PodObj>('pods', { namespace: rs.metadata.namespace })
      .filter((p) => siblings.has(controllerOf(p)?.uid));
  }
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const isNamespaceTerminating = (e: unknown): boolean =>
  (e as { code?: number }).code === 403 && /because it is being terminated/.test(errorMessage(e));
