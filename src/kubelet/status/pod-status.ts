/**
 * THE pod status rules: the one function that turns a pod spec, its previous status and what the
 * runtime observed into the next `pod.status` (kubelet generateAPIPodStatus plus the status
 * manager's bookkeeping of startTime and lastTransitionTime), the active deadline included
 * (active-deadline.ts). Pure: the pod workers call it and the status manager writes the result;
 * nothing else composes pod status.
 */
import type { Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { podQOSClass } from '../../api/registry/pods/qos.js';
import type { ObservedPod } from '../observed.js';
import {
  DEADLINE_EXCEEDED_MESSAGE,
  DEADLINE_EXCEEDED_REASON,
  pastActiveDeadline,
} from './active-deadline.js';
import {
  containersReadyCondition,
  initializedCondition,
  KUBELET_CONDITION_TYPES,
  podReadyCondition,
  readyToStartContainersCondition,
  stampTransitions,
} from './conditions.js';
import {
  buildContainerStatuses,
  buildEphemeralContainerStatuses,
  type StartFailure,
} from './container-statuses.js';
import { getPhase } from './phase.js';
import type { ProbeView } from './probe-view.js';

export interface PodStatusInputs {
  /** The pod as the API has it; `pod.status` is the previous status. */
  readonly pod: Pod;
  readonly observed: ObservedPod;
  readonly probes: ProbeView;
  readonly startFailures: ReadonlyMap<string, StartFailure>;
  /** The pod worker decided nothing in this pod will run again (terminal phase is final). */
  readonly podIsTerminal: boolean;
  /** This node's addresses, primary first. */
  readonly hostIPs: readonly string[];
  readonly now: Date;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

export function generatePodStatus(inputs: PodStatusInputs): PodStatus {
  const { pod, observed, now } = inputs;
  const old = pod.status ?? {};
  const initContainerStatuses = buildContainerStatuses(inputs, true);
  const containerStatuses = buildContainerStatuses(inputs, false);
  const all = [...containerStatuses, ...initContainerStatuses];

  let phase: string = getPhase(pod, all, inputs.podIsTerminal);
  // A terminal phase is never left: the API server rejects the transition anyway.
  if (!TERMINAL.has(phase) && old.phase && TERMINAL.has(old.phase)) phase = old.phase;
  // generateAPIPodStatus: an internal module's ShouldEvict (active_deadline.go) overrides the phase
  // and the reason carried over. A pod already terminal keeps both (upstream would still overwrite
  // the reason of a pod that finished just before its deadline but was not yet cleaned up).
  const deadlineExceeded = !TERMINAL.has(old.phase ?? '') && pastActiveDeadline(pod, old, now);
  if (deadlineExceeded) phase = 'Failed';

  const status: PodStatus = { phase };
  if (deadlineExceeded) {
    status.reason = DEADLINE_EXCEEDED_REASON;
    status.message = DEADLINE_EXCEEDED_MESSAGE;
  } else if (phase === old.phase) {
    if (old.reason) status.reason = old.reason;
    if (old.message) status.message = old.message;
  }
  const [hostIP] = inputs.hostIPs;
  if (hostIP) {
    status.hostIP = hostIP;
    status.hostIPs = inputs.hostIPs.slice(0, 2).map((ip) => ({ ip }));
  }
  // kubelet's generateAPIPodStatus: "HostNetwork Pods inherit the node IPs as PodIPs".
  const podIPs = pod.spec?.hostNetwork
    ? inputs.hostIPs.slice(0, 2)
    : sortPodIPs(observed.sandbox?.ips ?? [], hostIP);
  if (podIPs.length > 0) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  } else if (old.podIP) {
    // IPs outlive a dead sandbox in the API until a new one is assigned (kubelet keeps them too).
    status.podIP = old.podIP;
    if (old.podIPs) status.podIPs = old.podIPs;
  }
  status.startTime = old.startTime ?? iso(now);
  status.qosClass = old.qosClass ?? podQOSClass(pod);
  if (initContainerStatuses.length > 0) status.initContainerStatuses = initContainerStatuses;
  status.containerStatuses = containerStatuses;
  // Ephemeral containers take no part in phase, readiness or conditions (as upstream).
  const ephemeralContainerStatuses = buildEphemeralContainerStatuses(inputs);
  if (ephemeralContainerStatuses.length > 0) status.ephemeralContainerStatuses = ephemeralContainerStatuses;

  const preserved = (old.conditions ?? []).filter((c) => !KUBELET_CONDITION_TYPES.has(c.type));
  const allForConditions = [...initContainerStatuses, ...containerStatuses];
  const typedPhase = phase as ReturnType<typeof getPhase>;
  const generated: PodCondition[] = [
    readyToStartContainersCondition(observed.sandbox?.ready === true),
    initializedCondition(pod, allForConditions, typedPhase),
    podReadyCondition(pod, preserved, allForConditions, typedPhase),
    containersReadyCondition(pod, allForConditions, typedPhase),
    { type: 'PodScheduled', status: 'True' },
  ];
  status.conditions = [...preserved, ...stampTransitions(generated, old.conditions ?? [], iso(now))];
  return status;
}

/** Second-precision RFC 3339, as metav1.Time serializes. */
export function iso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** sortPodIPs: the first IP of the node's family, then the first of the other family. */
function sortPodIPs(ips: readonly string[], hostIP: string | undefined): string[] {
  const v6 = (ip: string) => ip.includes(':');
  const primaryIsV6 = hostIP !== undefined && v6(hostIP);
  const primary = ips.find((ip) => v6(ip) === primaryIsV6);
  const secondary = ips.find((ip) => v6(ip) !== primaryIsV6);
  return [primary, secondary].filter((ip): ip is string => ip !== undefined);
}
