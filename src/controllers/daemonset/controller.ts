/**
 * The DaemonSet controller, as kube-controller-manager's (pkg/controller/daemon). Sync of one
 * DaemonSet (syncDaemonSet):
 *  1. claim the pods its selector matches and the ControllerRevisions (history.ts), and make sure
 *     a revision for the current template exists: its hash labels new pods;
 *  2. while the expectations of its last writes are unmet, only write status (observedGeneration
 *     unchanged);
 *  3. manage (manage.ts): one pod on each node that should run it (daemon-pods.ts), none where it
 *     should not; failed pods deleted with a per-node backoff; pods are created pinned to their
 *     node by node affinity, in slow-start batches, and the scheduler binds them;
 *  4. if nothing is outstanding, RollingUpdate (rolling.ts) deletes or surges within
 *     maxUnavailable / maxSurge; OnDelete waits for the user to delete pods;
 *  5. delete the oldest revisions past revisionHistoryLimit, then write status.
 * Events (component `daemonset-controller`): SuccessfulCreate `Created pod: X`, FailedCreate
 * `Error creating: ...`, SuccessfulDelete `Deleted pod: X`, FailedDelete `Error deleting: ...`,
 * FailedDaemonPod `Found failed daemon pod NS/X on node N, will try to kill it`.
 */
import type { Node, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { WatchEvent } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { Expectations } from '../replicaset/expectations.js';
import { podFromTemplate } from '../replicaset/pod-template.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { claimObjects } from '../util/claim.js';
import { controllerKeyOfKind, keyOf } from '../util/owners.js';
import { controllerKeysForPodEvent, podSelectorOf } from '../util/pod-controllers.js';
import { FailedPodsBackoff } from './backoff.js';
import { CONTROLLER_REVISION_HASH_LABEL, daemonPodTemplate, pinToNode } from './daemon-pods.js';
import { cleanupHistory, constructHistory, DAEMONSET_REVISIONS, type DS } from './history.js';
import { planManage, podsByNode } from './manage.js';
import { planRollingUpdate } from './rolling.js';
import { computeStatus, writeDaemonSetStatus } from './status.js';

const COMPONENT = { component: 'daemonset-controller' };
/** upstream's BurstReplicas: at most this many creates or deletes per sync. */
const BURST_REPLICAS = 250;

type PodObj = Pod & { metadata: NonNullable<Pod['metadata']> } & WatchEvent['object'];

export class DaemonSetController extends QueueController {
  readonly name = 'daemonset';
  readonly #expectations: Expectations;
  readonly #backoff = new FailedPodsBackoff();

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
    this.#expectations = new Expectations(() => deps.clock.now().getTime());
  }

  protected watches(): readonly WatchSpec[] {
    return [
      {
        resource: 'daemonsets',
        keysFor: (ev) => {
          if (ev.type === 'DELETED') this.#expectations.forget(keyOf(ev.object));
          return [keyOf(ev.object)];
        },
      },
      {
        resource: 'pods',
        keysFor: (ev) =>
          controllerKeysForPodEvent(ev, 'DaemonSet', this.#expectations, (namespace) =>
            this.deps.client.list<DS>('daemonsets', { namespace }),
          ),
      },
      // A node's labels, taints or existence decide which DaemonSets place pods on it.
      { resource: 'nodes', keysFor: () => this.allKeys() },
      {
        resource: 'controllerrevisions',
        keysFor: (ev) => {
          const owner = controllerKeyOfKind(ev.object, 'DaemonSet');
          return owner ? [owner] : [];
        },
      },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.list('daemonsets').map(keyOf);
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client } = this.deps;
    const ds = client.get<DS>('daemonsets', namespace, name);
    if (!ds) {
      this.#expectations.forget(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const nodes = client.list<Node & PodObj>('nodes');
    const selector = podSelectorOf(ds);
    const candidates = client.list<PodObj>('pods', { namespace });
    const pods = claimObjects(client, 'pods', ds, candidates, (p) => selector.matches(p.metadata.labels));
    const { current, old } = constructHistory(client, DAEMONSET_REVISIONS, ds, pods);
    const hash = current.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const now = this.deps.clock.now();
    if (!this.#expectations.satisfied(key)) {
      this.#writeStatus(ds, nodes, pods, hash, false);
      return;
    }
    let syncError: unknown;
    try {
      this.#manage(key, ds, nodes, pods, hash, now);
      if (
        this.#expectations.satisfied(key) &&
        (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate'
      ) {
        const plan = planRollingUpdate(ds, nodes, podsByNode(pods), hash, now);
        this.#syncNodes(key, ds, plan.podsToDelete, plan.nodesToCreate, hash);
      }
      cleanupHistory(client, DAEMONSET_REVISIONS, ds, old, pods);
    } catch (e) {
      syncError = e;
    }
    this.#writeStatus(ds, nodes, pods, hash, true);
    if (syncError !== undefined) throw syncError;
  }

  #writeStatus(
    ds: DS,
    nodes: readonly Node[],
    pods: readonly PodObj[],
    hash: string,
    observe: boolean,
  ): void {
    const now = this.deps.clock.now();
    const latest = this.deps.client.get<DS>('daemonsets', ds.metadata.namespace!, ds.metadata.name!) ?? ds;
    const counts = computeStatus(latest, nodes, podsByNode(pods), hash, now);
    writeDaemonSetStatus(this.deps.client, latest, counts, observe, ds.metadata.generation ?? 0);
    // A last line of defence against clock skew: look again once the ready pods should be available.
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && counts.numberReady !== counts.numberAvailable)
      this.queue.addAfter(keyOf(ds), minReady * 1000);
  }

  #manage(
    key: string,
    ds: DS,
    nodes: readonly Node[],
    pods: readonly PodObj[],
    hash: string,
    now: Date,
  ): void {
    const plan = planManage(ds, nodes, podsByNode(pods), hash, now);
    const toDelete = [...plan.podsToDelete];
    for (const { pod, node } of plan.failed) {
      const backoffKey = `${ds.metadata.uid}/${node}`;
      if (this.#backoff.inBackoff(backoffKey, now.getTime())) {
        this.queue.addAfter(key, this.#backoff.delayMs(backoffKey));
        continue;
      }
      this.#backoff.next(backoffKey, now.getTime());
      this.deps.events.event(
        ds,
        'Warning',
        'FailedDaemonPod',
        `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${node}, will try to kill it`,
        COMPONENT,
      );
      toDelete.push(pod);
    }
    this.#syncNodes(key, ds, toDelete, plan.nodesNeedingPods, hash);
  }

  /** syncNodes: deletes the pods and creates one pod per node (slow start), within BURST_REPLICAS. */
  #syncNodes(
    key: string,
    ds: DS,
    podsToDelete: readonly Pod[],
    nodesNeedingPods: readonly string[],
    hash: string,
  ): void {
    const creates = nodesNeedingPods.slice(0, BURST_REPLICAS);
    const deletes = podsToDelete.slice(0, BURST_REPLICAS);
    this.#expectations.expect(
      key,
      creates.length,
      deletes.map((p) => p.metadata!.uid!),
    );
    const template = daemonPodTemplate(ds, hash);
    let firstError: unknown;
    let pos = 0;
    let batch = Math.min(creates.length, 1);
    while (pos < creates.length) {
      const errorsBefore = firstError;
      for (const node of creates.slice(pos, pos + batch)) {
        const tpl = structuredClone(template);
        tpl.spec!.affinity = pinToNode(tpl.spec!.affinity, node);
        firstError ??= this.#createPod(key, ds, tpl);
      }
      pos += batch;
      if (firstError !== errorsBefore) break;
      batch = Math.min(2 * batch, creates.length - pos);
    }
    // Pods never attempted will never be observed: lower the expectation for them too.
    for (let i = pos; i < creates.length; i++) this.#expectations.creationObserved(key);
    for (const pod of deletes) {
      const podName = pod.metadata!.name!;
      try {
        this.deps.client.delete('pods', ds.metadata.namespace!, podName);
        this.deps.events.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`, COMPONENT);
      } catch (e) {
        this.#expectations.deletionObserved(key, pod.metadata!.uid!);
        if ((e as { code?: number }).code === 404) continue;
        this.deps.events.event(
          ds,
          'Warning',
          'FailedDelete',
          `Error deleting: ${errorMessage(e)}`,
          COMPONENT,
        );
        firstError ??= e;
      }
    }
    if (firstError !== undefined) throw firstError;
  }

  /** The error of a failed create, undefined when it succeeded or the namespace is going away. */
  #createPod(key: string, ds: DS, template: PodTemplateSpec): unknown {
    try {
      const pod = this.deps.client.create(
        'pods',
        podFromTemplate({ ...ds, spec: { ...ds.spec!, template } }),
      );
      this.deps.events.event(
        ds,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${pod.metadata.name}`,
        COMPONENT,
      );
      return undefined;
    } catch (e) {
      this.#expectations.creationObserved(key);
      if (isNamespaceTerminating(e)) return undefined;
      this.deps.events.event(ds, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`, COMPONENT);
      return e;
    }
  }
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const isNamespaceTerminating = (e: unknown): boolean =>
  (e as { code?: number }).code === 403 && /because it is being terminated/.test(errorMessage(e));
