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

  async podsUsage(pods: readonly Pod[]): Promise<(PodUsage | undefined)[]> {
    // A pod whose containers cannot be listed (being torn down) simply has no metrics.
    const refs = await Promise.all(pods.map((p) => this.deps.containersOf(p).catch(() => [])));
    const ids = refs.flat().map((r) => r.id);
    if (ids.length === 0) return pods.map(() => undefined);
    const memory = new Map<string, number>();
    let rates: Awaited<ReturnType<CpuRateTracker['rates']>>;
    try {
      rates = await this.#cpu.rates(ids, async (id) => {
        const s = await this.deps.stats.containerStats(id);
        memory.set(id, s.memoryWorkingSetBytes);
        return s.cpuUsageCoreNanoSeconds;
      });
    } catch {
      // A container went away between listing and reading: that pod has no complete sample;
      // sample the others on their own so one exiting container does not blank the whole list.
      if (pods.length === 1) return [undefined];
      return Promise.all(pods.map(async (p) => (await this.podsUsage([p]))[0]));
    }
    const timestamp = new Date();
    return refs.map((podRefs) =>
      podRefs.length === 0
        ? undefined
        : {
            containers: podRefs.map((r) => ({
              name: r.name,
              cpuNanoCores: rates.nanoCores.get(r.id) ?? 0,
              memoryWorkingSetBytes: memory.get(r.id) ?? 0,
            })),
            timestamp,
            windowSeconds: rates.windowMs / 1000,
          },
    );
  }
}
