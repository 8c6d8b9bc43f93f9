/**
 * Pod usage from the runtime's cgroup statistics (ContainerStatsManager.containerStats: cumulative
 * CPU nanoseconds and the memory working set), turned into rates like metrics-server does.
 * Which runtime containers belong to a pod is the kubelet's knowledge, asked through `containersOf`.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { ContainerStatsManager } from '../../runtime/types.js';
import { CpuRateTracker, DEFAULT_RATE_OPTIONS, type RateOptions } from './rate.js';
import type { PodMetricsSource, PodUsage } from './source.js';

export interface RunningContainerRef {
  /** The container's name in the pod spec. */
  name: string;
  /** The runtime container id of its running attempt. */
  id: string;
}

export interface CgroupMetricsDeps {
  stats: Pick<ContainerStatsManager, 'containerStats'>;
  /** The pod's running containers on this node (empty when none runs). */
  containersOf(pod: Pod): Promise<RunningContainerRef[]>;
  rate?: RateOptions;
}

export class CgroupPodMetricsSource implements PodMetricsSource {
  readonly #cpu: CpuRateTracker;
  constructor(private readonly deps: CgroupMetricsDeps) {
    this.#cpu = new CpuRateTracker(deps.rate ?? DEFAULT_RATE_OPTIONS);
  }

  async podUsage(pod: Pod): Promise<PodUsage | undefined> {
    const refs = await this.deps.containersOf(pod);
    if (refs.length === 0) return undefined;
    const memory = new Map<string, number>();
    let rates: Awaited<ReturnType<CpuRateTracker['rates']>>;
    try {
      rates = await this.#cpu.rates(
        refs.map((r) => r.id),
        async (id) => {
          const s = await this.deps.stats.containerStats(id);
          memory.set(id, s.memoryWorkingSetBytes);
          return s.cpuUsageCoreNanoSeconds;
        },
      );
    } catch {
      return undefined; // a container exited between listing and reading: no complete sample
    }
    return {
      containers: refs.map((r) => ({
        name: r.name,
        cpuNanoCores: rates.nanoCores.get(r.id) ?? 0,
        memoryWorkingSetBytes: memory.get(r.id) ?? 0,
      })),
      timestamp: new Date(),
      windowSeconds: rates.windowMs / 1000,
    };
  }
}
