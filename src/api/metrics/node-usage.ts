/**
 * Node usage from the kernel's own accounting: CPU from the `cpu` line of /proc/stat (every
 * state but idle and iowait, in USER_HZ ticks), memory as MemTotal − MemAvailable from
 * /proc/meminfo (what the machine cannot hand out without reclaiming working memory).
 */
import { readFile } from 'node:fs/promises';
import { CpuRateTracker, DEFAULT_RATE_OPTIONS, type RateOptions } from './rate.js';
import type { NodeMetricsSource, NodeUsage } from './source.js';

/** USER_HZ: fixed at 100 on Linux for every architecture podbay runs on (sysconf(_SC_CLK_TCK)). */
const NS_PER_TICK = 10_000_000;

export class ProcFormatError extends Error {
  override readonly name = 'ProcFormatError';
  readonly code = 'PROC_FORMAT';
}

/** Busy CPU time in nanoseconds, summed over all CPUs. */
export function busyCpuNs(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new ProcFormatError('/proc/stat has no aggregate "cpu " line');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((n) => !Number.isFinite(n)))
    throw new ProcFormatError(`/proc/stat cpu line is malformed: ${line}`);
  // user nice system idle iowait irq softirq steal [guest guest_nice, already inside user/nice]
  const [user = 0, nice = 0, system = 0, _idle = 0, _iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) * NS_PER_TICK;
}

/** MemTotal − MemAvailable, in bytes. */
export function usedMemoryBytes(meminfo: string): number {
  const kib = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(meminfo);
    if (!m) throw new ProcFormatError(`/proc/meminfo has no ${key} line`);
    return Number(m[1]) * 1024;
  };
  return kib('MemTotal') - kib('MemAvailable');
}

export class ProcNodeMetricsSource implements NodeMetricsSource {
  readonly #cpu: CpuRateTracker;
  constructor(
    rate: RateOptions = DEFAULT_RATE_OPTIONS,
    private readonly procRoot = '/proc',
  ) {
    this.#cpu = new CpuRateTracker(rate);
  }

  async nodeUsage(): Promise<NodeUsage> {
    const { nanoCores, windowMs } = await this.#cpu.rates(['node'], async () =>
      busyCpuNs(await readFile(`${this.procRoot}/stat`, 'utf8')),
    );
    return {
      cpuNanoCores: nanoCores.get('node') ?? 0,
      memoryWorkingSetBytes: usedMemoryBytes(await readFile(`${this.procRoot}/meminfo`, 'utf8')),
      timestamp: new Date(),
      windowSeconds: windowMs / 1000,
    };
  }
}
