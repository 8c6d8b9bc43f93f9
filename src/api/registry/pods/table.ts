/**
 * `kubectl get pods` columns (printers.go podColumnDefinitions / printPod):
 *   Name, Ready, Status, Restarts, Age | IP, Node, Nominated Node, Readiness Gates.
 * The Ready/Status/Restarts rules live in printers/pod-status.ts.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { NONE } from '../printers/cells.js';
import { AGE_COLUMN, column, NAME_COLUMN, wideColumn } from '../printers/columns.js';
import { summarizePod } from '../printers/pod-status.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

/** Row conditions for `rows[].conditions` (Completed on Succeeded/Failed pods); not part of TableConvertor. */
export { podRowConditions } from '../printers/pod-status.js';

// apiv1.PodStatus / PodSpec SwaggerDoc() strings, v0.32.
const POD_IP_DOC =
  'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.';
const NODE_NAME_DOC =
  'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename';
const NOMINATED_NODE_NAME_DOC =
  'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.';
const READINESS_GATES_DOC =
  'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates';

export const podTable: TableConvertor<Pod> = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE_COLUMN,
    wideColumn('IP', 'string', POD_IP_DOC),
    wideColumn('Node', 'string', NODE_NAME_DOC),
    wideColumn('Nominated Node', 'string', NOMINATED_NODE_NAME_DOC),
    wideColumn('Readiness Gates', 'string', READINESS_GATES_DOC),
  ],
  row(pod, now) {
    const summary = summarizePod(pod, now);
    return [
      pod.metadata?.name ?? '',
      summary.ready,
      summary.status,
      summary.restarts,
      ageOf(pod.metadata, now),
      primaryPodIP(pod.status) || NONE,
      pod.spec?.nodeName || NONE,
      pod.status?.nominatedNodeName || NONE,
      readinessGates(pod),
    ];
  },
};

/**
 * The first pod IP. Upstream prints the internal PodIPs[0]; the v1→internal conversion makes
 * status.podIP authoritative when it is set (and fills PodIPs from it when PodIPs is empty).
 */
function primaryPodIP(status: PodStatus | undefined): string {
  return status?.podIP || status?.podIPs?.[0]?.ip || '';
}

/** "true/total" over spec.readinessGates; a gate's first matching condition decides. */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return NONE;
  const conditions = pod.status?.conditions ?? [];
  const satisfied = gates.filter(
    (gate) => conditions.find((c) => c.type === gate.conditionType)?.status === 'True',
  ).length;
  return `${satisfied}/${gates.length}`;
}
