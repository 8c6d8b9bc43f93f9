/**
 * The scheduler for podbay's one node, as kube-scheduler's default profile behaves from
 * kubectl's point of view: a pending pod (schedulerName default-scheduler, no nodeName) that
 * fits is bound through pods/binding with a `Scheduled` event ("Successfully assigned ns/p to
 * node"); one that does not fit stays Pending with PodScheduled=False (reason Unschedulable)
 * and a `FailedScheduling` warning, and is retried when pods or the node change (resources
 * freed, labels or taints edited) and on resync. Pods with PersistentVolumeClaims go through the
 * VolumeBinding plugin's checks first (volume-binding.ts). A pod that does not fit for want of
 * resources preempts lower-priority pods (preemption.ts): they are deleted with `Preempted` events
 * and the pod, nominated to the node (status.nominatedNodeName), is bound once they are gone.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { nowRFC3339 } from '../api/registry/util.js';
import type { KubeObject, WatchEvent } from '../api/types.js';
import { QueueController, type WatchSpec } from '../controllers/runtime/queue-controller.js';
import { fitReasons, unschedulableMessage } from './fit.js';
import { podPriority, preempt } from './preemption.js';
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

  /** Pending pods in the active queue's order (PrioritySort): higher priority first, then older. */
  protected allKeys(): readonly string[] {
    return this.deps.client
      .scan<PodObj>('pods')
      .filter(pending)
      .sort(
        (a, b) =>
          podPriority(b) - podPriority(a) ||
          (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
      )
      .map(keyOf);
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
      this.#unschedulable(
        pod,
        preFilterMessage(volumes.message, nodes.length),
        pod.status?.nominatedNodeName,
      );
      return;
    }
    const podsOnNode = node
      ? client.scan<PodObj>('pods').filter((p) => p.spec?.nodeName === node.metadata.name && !terminal(p))
      : [];
    // RunFilterPluginsWithNominatedPods: pods nominated to the node (preemptors waiting for their
    // victims) of at least this pod's priority count as if they were on it, so the room a
    // preemption frees is not taken by a lower-priority pod.
    const nominatedHere = node
      ? client
          .scan<PodObj>('pods')
          .filter(
            (p) =>
              p.status?.nominatedNodeName === node.metadata.name &&
              !p.spec?.nodeName &&
              p.metadata.uid !== pod.metadata.uid &&
              !p.metadata.deletionTimestamp &&
              podPriority(p) >= podPriority(pod),
          )
      : [];
    const reasons = node ? fitReasons(pod, node, [...podsOnNode, ...nominatedHere]) : [];
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
    let nominated = pod.status?.nominatedNodeName;
    let message = 'no nodes available to schedule pods';
    if (node) {
      const result = preempt(pod, node, podsOnNode, reasons, this.#budgets());
      if ('victims' in result) {
        for (const v of result.victims) this.#preemptVictim(pod, v as PodObj, node.metadata.name!);
        nominated = node.metadata.name;
        message = unschedulableMessage(reasons, nodes.length, '');
      } else {
        message = unschedulableMessage(reasons, nodes.length, result.message);
      }
    }
    this.#unschedulable(pod, message, nominated);
  }

  /**
   * PodScheduled=False (Unschedulable) and a FailedScheduling event, once per distinct message and
   * nomination; `nominated` is the node a preemption freed room on (status.nominatedNodeName).
   */
  #unschedulable(pod: PodObj, message: string, nominated: string | undefined): void {
    const { client, events, clock } = this.deps;
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    const prior = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (prior?.status === 'False' && prior.message === message && nominated === pod.status?.nominatedNodeName)
      return;
    conditions.push({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastProbeTime: null as unknown as string,
      lastTransitionTime: nowRFC3339(clock.now()),
    });
    const status = { ...(pod.status ?? {}), conditions };
    if (nominated) status.nominatedNodeName = nominated;
    client.updateStatus('pods', { ...pod, status });
    events.event(pod, 'Warning', 'FailedScheduling', message, { component: DEFAULT_SCHEDULER_NAME });
  }

  /** The budgets preemption tries not to break (none when PodDisruptionBudgets are not served). */
  #budgets(): readonly PodDisruptionBudget[] {
    const { client } = this.deps;
    if (!client.resources().some((r) => r.resource === 'poddisruptionbudgets')) return [];
    return client.scan<PodDisruptionBudget & KubeObject>('poddisruptionbudgets');
  }

  /** prepareCandidate for one victim: DisruptionTarget (PreemptionByScheduler), the delete, the event. */
  #preemptVictim(preemptor: PodObj, victim: PodObj, nodeName: string): void {
    const { client, events, clock } = this.deps;
    const ns = victim.metadata.namespace ?? '';
    const vname = victim.metadata.name ?? '';
    try {
      if (!victim.metadata.deletionTimestamp) {
        const cur = client.get<PodObj>('pods', ns, vname);
        if (!cur) return;
        const message = `${preemptor.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME}: preempting to accommodate a higher priority pod`;
        const conditions = (cur.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
        conditions.push({
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'PreemptionByScheduler',
          message,
          lastProbeTime: null as unknown as string,
          lastTransitionTime: nowRFC3339(clock.now()),
        });
        client.updateStatus('pods', { ...cur, status: { ...(cur.status ?? {}), conditions } });
        client.delete('pods', ns, vname);
      }
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
      return;
    }
    events.event(
      victim,
      'Normal',
      'Preempted',
      `Preempted by pod ${preemptor.metadata.uid} on node ${nodeName}`,
      {
        component: DEFAULT_SCHEDULER_NAME,
      },
    );
  }
}
