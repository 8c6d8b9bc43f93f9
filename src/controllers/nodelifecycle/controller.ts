/**
 * The NoSchedule tainting pass of kube-controller-manager's node lifecycle controller
 * (pkg/controller/nodelifecycle, doNoScheduleTaintingPass) for the one thing a user does to a node
 * here: `kubectl cordon` sets spec.unschedulable, and the node gets the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint; `kubectl uncordon` clears it and the taint
 * goes. Other taints are the user's and are left alone. (The not-ready / unreachable taints come
 * from node health, which podbay's one node, running the engine itself, always has.)
 */
import type { Node, Taint } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';

/** v1.TaintNodeUnschedulable. */
export const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';

type NodeObj = Node & KubeObject;

const isUnschedulableTaint = (t: Taint): boolean =>
  t.key === UNSCHEDULABLE_TAINT_KEY && t.effect === 'NoSchedule';

/** The node's taints with the unschedulable one added or removed to match spec.unschedulable. */
export function desiredTaints(node: Node): Taint[] | undefined {
  const taints = node.spec?.taints ?? [];
  const has = taints.some(isUnschedulableTaint);
  const want = node.spec?.unschedulable === true;
  if (has === want) return undefined;
  return want
    ? [...taints, { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' }]
    : taints.filter((t) => !isUnschedulableTaint(t));
}

export class NodeLifecycleController extends QueueController {
  readonly name = 'node-lifecycle';

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
  }

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'nodes', keysFor: (ev) => (ev.type === 'DELETED' ? [] : [ev.object.metadata.name!]) },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.scan<NodeObj>('nodes').map((n) => n.metadata.name!);
  }

  protected sync(name: string): void {
    const node = this.deps.client.get<NodeObj>('nodes', '', name);
    if (!node || node.metadata.deletionTimestamp) return;
    const taints = desiredTaints(node);
    if (!taints) return;
    const next = structuredClone(node);
    next.spec = { ...next.spec };
    if (taints.length) next.spec.taints = taints;
    else delete next.spec.taints;
    this.deps.client.update('nodes', next);
  }
}
