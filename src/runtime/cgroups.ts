/**
 * Cgroups for sandboxes and containers, on cgroup v1 (one hierarchy per controller, this machine)
 * or v2 (one unified hierarchy; detected by /sys/fs/cgroup/cgroup.controllers). podbay owns the
 * subtree `podbay/` in each hierarchy: `podbay/<sandbox id>/<container id>`, and the sandbox's
 * holder process sits in `podbay/<sandbox id>/pause` (v2 forbids processes in inner nodes).
 * This module is the only writer of those directories.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { milliCpuToQuota, milliCpuToShares, QUOTA_PERIOD_US, sharesToWeight } from './cgroup-math.js';
import type { LinuxResources } from './types.js';

export const CGROUP_ROOT = '/sys/fs/cgroup';
const V1_CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'pids'] as const;
const OWNED = 'podbay';

export type CgroupVersion = 1 | 2;

export function detectCgroupVersion(root = CGROUP_ROOT): CgroupVersion {
  return existsSync(join(root, 'cgroup.controllers')) ? 2 : 1;
}

/** One cgroup, as a path relative to podbay's subtree, in every hierarchy that matters. */
export class Cgroup {
  constructor(
    readonly version: CgroupVersion,
    readonly relPath: string,
    readonly root = CGROUP_ROOT,
  ) {}

  /** Absolute directories, one per hierarchy (v1) or the single unified one (v2). */
  dirs(): string[] {
    if (this.version === 2) return [join(this.root, OWNED, this.relPath)];
    return V1_CONTROLLERS.map((c) => join(this.root, c, OWNED, this.relPath)).filter(
      (d, i, all) => all.indexOf(d) === i,
    );
  }

  /** The cgroup.procs files a process writes to join this cgroup. */
  procsFiles(): string[] {
    return this.dirs().map((d) => join(d, 'cgroup.procs'));
  }

  #dir(controller: (typeof V1_CONTROLLERS)[number]): string {
    return this.version === 2
      ? join(this.root, OWNED, this.relPath)
      : join(this.root, controller, OWNED, this.relPath);
  }

  async create(): Promise<void> {
    if (this.version === 2) await this.#enableV2Controllers();
    for (const d of this.dirs()) await mkdir(d, { recursive: true });
  }

  /** v2: children only get cpu/memory/pids files when every ancestor delegates them. */
  async #enableV2Controllers(): Promise<void> {
    const parts = [OWNED, ...this.relPath.split('/')];
    let dir = this.root;
    for (const p of parts.slice(0, -1)) {
      dir = join(dir, p);
      await mkdir(dir, { recursive: true });
    }
    dir = this.root;
    for (const p of parts) {
      await writeFile(join(dir, 'cgroup.subtree_control'), '+cpu +memory +pids').catch(() => {});
      dir = join(dir, p);
    }
  }

  /** Writes limits the way kubelet computes them (see cgroup-math.ts). */
  async applyResources(r: LinuxResources): Promise<void> {
    const shares = milliCpuToShares(r.cpuRequestMilli ?? 0);
    const quota = milliCpuToQuota(r.cpuLimitMilli ?? 0);
    if (this.version === 2) {
      const d = this.#dir('cpu');
      await writeFile(join(d, 'cpu.weight'), String(sharesToWeight(shares)));
      await writeFile(join(d, 'cpu.max'), `${quota < 0 ? 'max' : quota} ${QUOTA_PERIOD_US}`);
      if (r.memoryLimitBytes) {
        await writeFile(join(d, 'memory.max'), String(r.memoryLimitBytes));
        await writeFile(join(d, 'memory.swap.max'), '0').catch(() => {});
      }
      if (r.pidsLimit) await writeFile(join(d, 'pids.max'), String(r.pidsLimit));
      return;
    }
    const cpu = this.#dir('cpu');
    await writeFile(join(cpu, 'cpu.shares'), String(shares));
    await writeFile(join(cpu, 'cpu.cfs_period_us'), String(QUOTA_PERIOD_US));
    await writeFile(join(cpu, 'cpu.cfs_quota_us'), String(quota));
    if (r.memoryLimitBytes) {
      const mem = this.#dir('memory');
      await writeFile(join(mem, 'memory.limit_in_bytes'), String(r.memoryLimitBytes));
      // No swap for containers, as kubelet's default NoSwap behaviour; absent without swap accounting.
      await writeFile(join(mem, 'memory.memsw.limit_in_bytes'), String(r.memoryLimitBytes)).catch(() => {});
      await writeFile(join(mem, 'memory.swappiness'), '0').catch(() => {});
    }
    if (r.pidsLimit) await writeFile(join(this.#dir('pids'), 'pids.max'), String(r.pidsLimit));
  }

  /** pids.max of this cgroup (hierarchical: it bounds every process below it, as a pod cgroup's). */
  async setPidsMax(limit: number): Promise<void> {
    if (!Number.isInteger(limit) || limit <= 0)
      throw new RangeError(`pids limit ${limit}: must be a positive integer`);
    await writeFile(join(this.#dir('pids'), 'pids.max'), String(limit));
  }

  async readFile(controller: (typeof V1_CONTROLLERS)[number], file: string): Promise<string> {
    return readFile(join(this.#dir(controller), file), 'utf8');
  }

  /** Number of OOM kills inside this cgroup (v1 memory.oom_control, v2 memory.events). */
  async oomKills(): Promise<number> {
    const text =
      this.version === 2
        ? await this.readFile('memory', 'memory.events').catch(() => '')
        : await this.readFile('memory', 'memory.oom_control').catch(() => '');
    const m = /^oom_kill (\d+)$/m.exec(text);
    return m ? Number(m[1]) : 0;
  }

  /** Cumulative CPU nanoseconds and memory usage/working set (usage - inactive_file, as cAdvisor). */
  async stats(): Promise<{ cpuNs: number; memoryUsage: number; workingSet: number }> {
    const memStat = await this.readFile('memory', 'memory.stat').catch(() => '');
    const field = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(memStat)?.[1] ?? 0);
    if (this.version === 2) {
      const cpuStat = await this.readFile('cpu', 'cpu.stat').catch(() => '');
      const usec = Number(/^usage_usec (\d+)$/m.exec(cpuStat)?.[1] ?? 0);
      const usage = Number((await this.readFile('memory', 'memory.current').catch(() => '0')).trim());
      const inactive = field('inactive_file');
      return { cpuNs: usec * 1000, memoryUsage: usage, workingSet: Math.max(0, usage - inactive) };
    }
    const cpuNs = Number((await this.readFile('cpuacct', 'cpuacct.usage').catch(() => '0')).trim());
    const usage = Number((await this.readFile('memory', 'memory.usage_in_bytes').catch(() => '0')).trim());
    const inactive = field('total_inactive_file');
    return { cpuNs, memoryUsage: usage, workingSet: Math.max(0, usage - inactive) };
  }

  /** Pids of every process in this cgroup and below. */
  async pids(): Promise<number[]> {
    const out = new Set<number>();
    const walk = async (dir: string): Promise<void> => {
      const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
      for (const l of procs.split('\n')) if (l) out.add(Number(l));
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isDirectory()) await walk(join(dir, e.name));
    };
    for (const d of this.dirs()) await walk(d);
    return [...out];
  }

  /**
   * Kills whatever is left inside, then removes the directories bottom-up. Safe to call twice and on
   * a cgroup that was never created.
   */
  async destroy(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const pids = await this.pids();
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      if (await this.#removeDirs()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`cgroup ${this.relPath}: processes remain after SIGKILL`);
  }

  async #removeDirs(): Promise<boolean> {
    let ok = true;
    const removeTree = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name));
      try {
        await rmdir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') ok = false;
      }
    };
    for (const d of this.dirs()) await removeTree(d);
    return ok;
  }
}

/** podbay's own subtree root in every hierarchy, for cleanupAll. */
export function podbayRootCgroup(version: CgroupVersion, root = CGROUP_ROOT): Cgroup {
  return new Cgroup(version, '', root);
}

export async function cgroupExists(c: Cgroup): Promise<boolean> {
  try {
    await stat(c.dirs()[0]!);
    return true;
  } catch {
    return false;
  }
}
