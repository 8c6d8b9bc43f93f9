/**
 * The StatefulSet controller, as kube-controller-manager's (pkg/controller/statefulset,
 * stateful_set_control.go updateStatefulSet). Sync of one StatefulSet:
 *  1. claim the member pods (selector and `<set>-<ordinal>` name) and the revisions; the update
 *     revision is the current template's, the current one status.currentRevision's;
 *  2. each ordinal in [start, start+replicas), in order: a failed or succeeded pod is deleted (and
 *     recreated next sync); a missing one is created from the current revision below the
 *     partition and the update revision above it; with OrderedReady, stop at the first pod
 *     created, terminating, or not Running and Ready (and available), so web-1 waits for web-0;
 *     a pod's volumeClaimTemplates claims are created before it (claims.ts), and recreated for a
 *     pending pod that lost them;
 *  3. condemned pods (ordinals past the end), highest first: with OrderedReady one at a time,
 *     each only once the rest are healthy (whenScaled Delete first makes the pod own its claims);
 *  4. RollingUpdate: from the highest ordinal down to the partition, delete the first pod not on
 *     the update revision (the next syncs recreate it), waiting for unhealthy ones; OnDelete
 *     waits for the user;
 *  5. trim revision history, write status (completeRollingUpdate).
 * Parallel (podManagementPolicy) does all creations and deletions without waiting.
 * Events (component `statefulset-controller`): SuccessfulCreate `create Pod web-0 in StatefulSet
 * web successful`, SuccessfulDelete `delete Pod web-2 in StatefulSet web successful`, FailedCreate /
 * FailedDelete `... failed error: ...`, RecreatingFailedPod, RecreatingTerminatedPod.
 */
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { ControllerDeps } from '../client.js';
import { cleanupHistory, constructHistory, type Revision, type RevisionKind } from '../daemonset/history.js';
import { Expectations } from '../replicaset/expectations.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { claimObjects } from '../util/claim.js';
import { controllerKeyOfKind, keyOf } from '../util/owners.js';
import { controllerKeysForPodEvent, podSelectorOf } from '../util/pod-controllers.js';
import { isPodAvailable } from '../util/pods.js';
import { ensureClaims, reconcileClaimOwners } from './claims.js';
import {
  identityMatches,
  isMemberOf,
  newStatefulSetPod,
  ordinalOf,
  POD_INDEX_LABEL,
  POD_NAME_LABEL,
  type PodObj,
  podRevision,
  type STS,
  startOrdinal,
} from './identity.js';
import {
  completeRollingUpdate,
  computeStatus,
  isRunningAndReady,
  isTerminating,
  writeStatus,
} from './status.js';

const COMPONENT = { component: 'statefulset-controller' };

/** history.NewControllerRevision's ControllerRevisionHashLabel; pods name their revision in full. */
const STATEFULSET_REVISIONS: RevisionKind = {
  resource: 'statefulsets',
  hashLabel: 'controller.kubernetes.io/hash',
  podLabelValue: (rev) => rev.metadata.name!,
  copyAnnotations: false,
  limitCounts: 'notLive',
};

/** A pod slot: the stored pod, or the one the set would create there. */
interface Slot {
  pod: PodObj;
  created: boolean;
}

export class StatefulSetController extends QueueController {
  readonly name = 'statefulset';
  // StatefulSets need no expectations (pods have fixed names); the pod-event mapper wants one.
  readonly #unusedExpectations = new Expectations(() => 0);

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
  }

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'statefulsets', keysFor: (ev) => [keyOf(ev.object)] },
      {
        resource: 'pods',
        keysFor: (ev) =>
          controllerKeysForPodEvent(ev, 'StatefulSet', this.#unusedExpectations, (namespace) =>
            this.deps.client.list<STS>('statefulsets', { namespace }),
          ),
      },
      {
        resource: 'controllerrevisions',
        keysFor: (ev) => {
          const owner = controllerKeyOfKind(ev.object, 'StatefulSet');
          return owner ? [owner] : [];
        },
      },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.list('statefulsets').map(keyOf);
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client } = this.deps;
    const sts = client.get<STS>('statefulsets', namespace, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const selector = podSelectorOf(sts);
    const candidates = client.list<PodObj>('pods', { namespace });
    const pods = claimObjects(
      client,
      'pods',
      sts,
      candidates,
      (p) => selector.matches(p.metadata.labels) && isMemberOf(sts, p),
    );
    const { current: update, old } = constructHistory(client, STATEFULSET_REVISIONS, sts, pods);
    const current = old.find((r) => r.metadata.name === sts.status?.currentRevision) ?? update;
    const now = this.deps.clock.now();
    const status = computeStatus(sts, pods, current.metadata.name!, update.metadata.name!, now);
    let syncError: unknown;
    try {
      this.#update(sts, pods, current, update, status, now);
      cleanupHistory(client, STATEFULSET_REVISIONS, sts, old, pods, [
        current.metadata.name!,
        update.metadata.name!,
      ]);
    } catch (e) {
      syncError = e;
    }
    completeRollingUpdate(sts, status);
    writeStatus(client, sts, status);
    const minReady = sts.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas !== status.availableReplicas)
      this.queue.addAfter(key, minReady * 1000);
    if (syncError !== undefined) throw syncError;
  }

  /** updateStatefulSet: steps 2-4 of the header; returns as soon as OrderedReady must wait. */
  #update(
    sts: STS,
    pods: readonly PodObj[],
    current: Revision,
    update: Revision,
    status: StatefulSetStatus,
    now: Date,
  ) {
    const start = startOrdinal(sts);
    const replicaCount = sts.spec?.replicas ?? 1;
    const rolling = (sts.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const ru = sts.spec?.updateStrategy?.rollingUpdate;
    // newVersionedStatefulSetPod: with RollingUpdate, ordinals below the partition (or, without
    // rollingUpdate, below status.currentReplicas) are created from the current revision.
    const currentBelow = !rolling ? 0 : ru ? (ru.partition ?? 0) : (sts.status?.currentReplicas ?? 0);
    const updateMin = ru?.partition ?? 0;
    const slots: (Slot | undefined)[] = new Array(replicaCount).fill(undefined);
    const condemned: PodObj[] = [];
    for (const pod of pods) {
      const { ordinal } = ordinalOf(pod);
      if (ordinal >= start && ordinal < start + replicaCount) slots[ordinal - start] = { pod, created: true };
      else if (ordinal >= 0) condemned.push(pod);
    }
    for (let i = 0; i < replicaCount; i++) {
      const rev = i < currentBelow ? current : update;
      slots[i] ??= { pod: newStatefulSetPod(sts, rev, i + start), created: false };
    }
    condemned.sort((a, b) => ordinalOf(b).ordinal - ordinalOf(a).ordinal);
    const minReady = sts.spec?.minReadySeconds ?? 0;
    const healthy = (p: PodObj) => isRunningAndReady(p) && !isTerminating(p);
    const available = (p: PodObj) => isRunningAndReady(p) && isPodAvailable(p, minReady, now);
    const firstUnhealthy = [...slots.map((s) => s!.pod), ...condemned].find((p) => !healthy(p));
    const monotonic = (sts.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
    const s = status as Required<StatefulSetStatus>;

    for (const slot of slots as Slot[]) {
      const pod = slot.pod;
      if (slot.created && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')) {
        if (!isTerminating(pod)) {
          const failed = pod.status?.phase === 'Failed';
          this.deps.events.event(
            sts,
            failed ? 'Warning' : 'Normal',
            failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod',
            `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} is recreating ${failed ? 'failed' : 'terminated'} Pod ${pod.metadata.name}`,
            COMPONENT,
          );
          this.#deletePod(sts, pod);
        }
        return;
      }
      if (!slot.created) {
        this.#ensureClaims(sts, pod);
        this.#createPod(sts, pod);
        s.replicas++;
        if (podRevision(pod) === status.currentRevision) s.currentReplicas++;
        if (podRevision(pod) === status.updateRevision) s.updatedReplicas++;
        if (monotonic) return;
        continue;
      }
      // A pending pod whose claims went away gets them back (processReplica's
      // createMissingPersistentVolumeClaims); every live pod's claims carry the retention owners.
      if (sts.spec?.volumeClaimTemplates?.length && !isTerminating(pod)) {
        if (pod.status?.phase === 'Pending') this.#ensureClaims(sts, pod);
        reconcileClaimOwners(this.deps.client, sts, pod, ordinalOf(pod).ordinal, false);
      }
      if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !available(pod))) return;
      if (!identityMatches(sts, pod)) this.#fixIdentity(sts, pod);
    }

    for (const pod of condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return;
        continue;
      }
      if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !available(pod))) return;
      if (sts.spec?.volumeClaimTemplates?.length)
        reconcileClaimOwners(this.deps.client, sts, pod, ordinalOf(pod).ordinal, true);
      this.#deletePod(sts, pod);
      if (monotonic) return;
    }

    if (sts.spec?.updateStrategy?.type === 'OnDelete') return;
    for (let target = replicaCount - 1; target >= updateMin; target--) {
      const pod = slots[target]!.pod;
      if (podRevision(pod) !== status.updateRevision && !isTerminating(pod)) {
        this.#deletePod(sts, pod);
        s.currentReplicas--;
        return;
      }
      if (!healthy(pod)) return;
    }
  }

  /** createPersistentVolumeClaims, with upstream's claim events on the set. */
  #ensureClaims(sts: STS, pod: PodObj): void {
    ensureClaims(this.deps.client, sts, ordinalOf(pod).ordinal, {
      created: (claim) =>
        this.#event(
          sts,
          'Normal',
          'SuccessfulCreate',
          `create Claim ${claim} Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} success`,
        ),
      failed: (claim, e) =>
        this.#event(
          sts,
          'Warning',
          'FailedCreate',
          `create Claim ${claim} for Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${errorMessage(e)}`,
        ),
    });
  }

  #createPod(sts: STS, pod: PodObj): void {
    try {
      this.deps.client.create('pods', pod);
      this.#event(
        sts,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
      );
    } catch (e) {
      this.#event(
        sts,
        'Warning',
        'FailedCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${errorMessage(e)}`,
      );
      throw e;
    }
  }

  #deletePod(sts: STS, pod: PodObj): void {
    try {
      this.deps.client.delete('pods', pod.metadata.namespace!, pod.metadata.name!);
      this.#event(
        sts,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
      );
    } catch (e) {
      if ((e as { code?: number }).code === 404) return;
      this.#event(
        sts,
        'Warning',
        'FailedDelete',
        `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${errorMessage(e)}`,
      );
      throw e;
    }
  }

  /** updateStatefulPod: restore the identity labels (hostname and subdomain cannot change on a pod). */
  #fixIdentity(sts: STS, pod: PodObj): void {
    const { ordinal } = ordinalOf(pod);
    const labels = {
      ...pod.metadata.labels,
      [POD_NAME_LABEL]: pod.metadata.name!,
      [POD_INDEX_LABEL]: String(ordinal),
    };
    if (
      labels[POD_NAME_LABEL] === pod.metadata.labels?.[POD_NAME_LABEL] &&
      labels[POD_INDEX_LABEL] === pod.metadata.labels?.[POD_INDEX_LABEL]
    )
      return;
    try {
      this.deps.client.update('pods', { ...pod, metadata: { ...pod.metadata, labels } });
    } catch (e) {
      this.deps.log('statefulset: updating pod identity failed', {
        pod: pod.metadata.name,
        set: sts.metadata.name,
        error: errorMessage(e),
      });
    }
  }

  #event(sts: STS, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.events.event(sts, type, reason, message, COMPONENT);
  }
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
