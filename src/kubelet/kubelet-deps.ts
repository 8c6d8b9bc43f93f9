/**
 * Everything the pod workers' sync steps are built from: one typed deps object (STYLE.md), shared
 * by container-start.ts, pod-sync.ts and pod-termination.ts. The kubelet (kubelet.ts) owns it.
 */

import type { Pod } from 'kubernetes-types/core/v1';
import { withFieldPath } from '../api/events/recorder.js';
import type { KubeObject } from '../api/types.js';
import type { EventRecorder, ObjectClient } from '../controllers/client.js';
import type { ImageService, RuntimeService } from '../runtime/types.js';
import type { ActiveDeadlineTimers } from './active-deadline-timers.js';
import type { ContainerBackoff } from './backoff.js';
import type { NodeAllocatable } from './env-fields.js';
import type { ProbeManager } from './prober/manager.js';
import type { SandboxConfigOptions } from './sandbox-config.js';
import type { StartFailure } from './status/container-statuses.js';
import type { StatusManager } from './status-manager.js';
import type { PayloadLookups } from './volumes/payloads.js';

export const KUBELET_COMPONENT = 'kubelet';

export interface KubeletDeps {
  readonly runtime: RuntimeService;
  readonly images: ImageService;
  readonly client: ObjectClient;
  readonly events: EventRecorder;
  readonly nodeName: string;
  readonly hostIPs: readonly string[];
  readonly allocatable: NodeAllocatable;
  readonly nodeAllocatableMemoryBytes: number;
  /** `<dataDir>/kubelet/pods`: one directory per pod UID (volumes live under it). */
  readonly podsDir: string;
  readonly lookups: PayloadLookups;
  readonly statusManager: StatusManager;
  readonly probes: ProbeManager;
  readonly containerBackoff: ContainerBackoff;
  readonly imageBackoff: ContainerBackoff;
  /** Wakes a pod's worker at its spec.activeDeadlineSeconds (armed by syncPod). */
  readonly activeDeadlines: ActiveDeadlineTimers;
  readonly log: (msg: string, fields?: Record<string, unknown>) => void;
  readonly now: () => Date;
  /**
   * Called when creating a sandbox failed: the runtime re-checks its host network (bridge, nft)
   * on the next attempt instead of trusting what it set up before (another tool may remove it).
   */
  readonly resetNetwork?: () => void;
  /** pids.max of each pod's cgroup (kubelet's podPidsLimit); 0 = unlimited. */
  readonly podPidsLimit: number;
  /** The cluster DNS address and the host resolv.conf pods' DNS config is made from. */
  readonly sandboxOptions: SandboxConfigOptions;
  /** Milliseconds per "second" of grace periods and hooks (tests never change it). */
  readonly secondMs: number;
}

/** Per-pod memory the workers keep between syncs (kubelet's reasonCache and friends). */
export interface PodMemory {
  /** Last start failure by container name, cleared on a successful start. */
  readonly startFailures: Map<string, StartFailure>;
  /** When volumes were last (re)projected, ms since epoch. */
  volumesSetUpAt: number;
  /** Set once the eviction manager evicted the pod: its final status says so. */
  eviction?: { readonly message: string };
}

export function newPodMemory(): PodMemory {
  return { startFailures: new Map(), volumesSetUpAt: 0 };
}

/**
 * The fieldPath kubelet's events about one container carry (GenerateContainerRef):
 * `spec.containers{name}`, `spec.initContainers{name}` (native sidecars included),
 * `spec.ephemeralContainers{name}`.
 */
export function containerFieldPath(pod: Pod, containerName: string): string {
  const named = (list?: readonly { name: string }[]) => list?.some((c) => c.name === containerName) === true;
  const list = named(pod.spec?.initContainers)
    ? 'initContainers'
    : named(pod.spec?.ephemeralContainers)
      ? 'ephemeralContainers'
      : 'containers';
  return `spec.${list}{${containerName}}`;
}

/** Records a kubelet event on one container of the pod (involvedObject.fieldPath names it). */
export function containerEvent(
  deps: KubeletDeps,
  pod: Pod,
  containerName: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  const ref = withFieldPath(pod as Pod & KubeObject, containerFieldPath(pod, containerName));
  deps.events.event(ref, type, reason, message, { component: KUBELET_COMPONENT, host: deps.nodeName });
}

/** Records a kubelet event on the pod as a whole. */
export function podEvent(
  deps: KubeletDeps,
  pod: Pod,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  deps.events.event(pod as Pod & KubeObject, type, reason, message, {
    component: KUBELET_COMPONENT,
    host: deps.nodeName,
  });
}
