/**
 * What the metrics.k8s.io API needs from the node: usage per pod container and for the node as a
 * whole, each a rate over a window (metrics-server's contract: CPU in nanocores averaged over
 * `window`, memory as the working set at `timestamp`).
 */
import type { Pod } from 'kubernetes-types/core/v1';

export interface Usage {
  /** CPU cores in use, in nanocores (1e9 = one core), averaged over the window. */
  cpuNanoCores: number;
  memoryWorkingSetBytes: number;
}

export interface ContainerUsage extends Usage {
  name: string;
}

export interface PodUsage {
  containers: ContainerUsage[];
  timestamp: Date;
  windowSeconds: number;
}

export interface NodeUsage extends Usage {
  timestamp: Date;
  windowSeconds: number;
}

export interface PodMetricsSource {
  /**
   * Usage of each pod's running containers (undefined where none runs on this node), in the
   * order given. One call samples every pod at once, so a list costs one sampling window.
   */
  podsUsage(pods: readonly Pod[]): Promise<(PodUsage | undefined)[]>;
}

export interface NodeMetricsSource {
  nodeUsage(): Promise<NodeUsage>;
}
