/**
 * The scheduler for podbay's one node, as kube-scheduler's default profile behaves from
 * kubectl's point of view: a pending pod (schedulerName default-scheduler, no nodeName) that
 * fits is bound through pods/binding with a `Scheduled` event ("Successfully assigned ns/p to
 * node"); one that does not fit stays Pending with PodScheduled=False (reason Unschedulable)
 * and a `FailedScheduling` warning, and is retried when pods or the node change (resources
 * freed, labels or taints edited) and on resync. Pods with PersistentVolumeClaims go through the
 * VolumeBinding plugin's checks first (volume-binding.ts).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { nowRFC3339 } from '../api/registry/util.js';
import type { KubeObject, WatchEvent } from '../api/types.js';
import { QueueController, type WatchSpec } from '../controllers/runtime/queue-controller.js';
import { fitReasons, unschedulableMessage } from './fit.js';
import { checkPodVolumes, preFilterMessage, selectNodeForClaims } from './volume-binding.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

type PodObj = Pod & KubeObject;

const keyOf = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`;
const terminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const pending = (p: PodObj): boolean =>
  !p.spec?.nodeName &&
  !p.metadata.deletionTimestamp &&
  (p.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME;

export class Scheduler extends QueueController {
  readonly name = 'scheduler';

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'pods', keysFor: (ev) => this.#keysForPod(ev) },
      { resource: 'nodes', keysFor: () => this.allKeys() },
      // A claim created, bound or deleted may unblock (or block) pending pods that use it.
      { resource: 'persistentvolumeclaims', keysFor: () => this.allKeys() },
    ];
  }

  #keysForPod(ev: WatchEvent): readonly string[] {
    const pod = ev.object as PodObj;
    if (ev.type !== 'DELETED' && pending(pod)) return [keyOf(pod)];
    // A pod leaving the node (deleted or finished) frees what it requested.
    if (ev.type === 'DELETED' || terminal(pod)) return this.allKeys();
    return [];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.scan<PodObj>('pods').filter(pending).map(keyOf);
  }

  protected sync(key: string): void {
    const { client, events } = this.deps;
    const [namespace, name] = key.split('/') as [string, string];
    const pod = client.get<PodObj>('pods', namespace, name);
    if (!pod || !pending(pod)) return;
    const nodes = client.scan<Node & KubeObject>('nodes');
    const node = nodes[0];
    const volumes = checkPodVolumes(client, pod);
    if (volumes.kind === 'unschedulable') {
      this.#unschedulable(pod, preFilterMessage(volumes.message, nodes.length));
      return;
    }
    const reasons = node
      ? fitReasons(
          pod,
          node,
          client.scan<PodObj>('pods').filter((p) => p.spec?.nodeName === node.metadata.name && !terminal(p)),
        )
      : [];
    if (node && reasons.length === 0) {
      if (volumes.kind === 'bindClaims') {
        // PreBind: the pod waits (unbound, no condition) until its claims are bound on this node.
        selectNodeForClaims(client, volumes.claims, node.metadata.name!);
        return;
      }
      client.bind(namespace, name, node.metadata.name!);
      events.event(
        pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${node.metadata.name}`,
        {
          component: DEFAULT_SCHEDULER_NAME,
        },
      );
      return;
    }
    this.#unschedulable(
      pod,
      node ? unschedulableMessage(reasons, nodes.length) : 'no nodes available to schedule pods',
    );
  }

  /** PodScheduled=False (Unschedulable) and a FailedScheduling event, once per distinct message. */
  #unschedulable(pod: PodObj, message: string): void {
    const { client, events, clock } = this.deps;
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    const prior = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (prior?.status === 'False' && prior.message === message) return;
    conditions.push({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastProbeTime: null as unknown as string,
      lastTransitionTime: nowRFC3339(clock.now()),
    });
    client.updateStatus('pods', { ...pod, status: { ...(pod.status ?? {}), conditions } });
    events.event(pod, 'Warning', 'FailedScheduling', message, { component: DEFAULT_SCHEDULER_NAME });
  }
}
