/**
 * podbay's RuntimeService: sandboxes, containers, exec/port-forward and stats behind the CRI-shaped
 * interfaces of types.ts. It holds no state of its own beyond the on-disk records, so a fresh
 * instance (after the engine was killed) lists and drives everything that is still running.
 * `cleanupAll` is `podbay down`: it leaves no podbay links, mounts, cgroups or nft tables behind.
 */
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { removeBridge } from '../network/bridge.js';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from '../network/defaults.js';
import { IpAllocator } from '../network/ipam.js';
import { attachSocketPath, attachStream } from './attach.js';
import { findRepoRoot } from './catalog.js';
import { type CgroupVersion, detectCgroupVersion, podbayRootCgroup } from './cgroups.js';
import { ContainerManager, containerCgroup, LOG_MAX_BYTES, LOG_MAX_FILES } from './containers.js';
import { InvalidArgumentError, RuntimeError } from './errors.js';
import { type ExecTarget, execStream, execSync, portForward } from './exec.js';
import { run } from './host-command.js';
import { RecordStore, RuntimePaths } from './records.js';
import { SandboxManager, sandboxCgroup } from './sandboxes.js';
import type {
  AttachOptions,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatus,
  ExecOptions,
  ExecSession,
  ExecSyncResult,
  ImageService,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStats,
  PodSandboxStatus,
  RuntimeService,
  VersionInfo,
} from './types.js';

export interface RuntimeDeps {
  dataDir: string;
  images: ImageService;
  podCidr?: string;
  serviceCidr?: string;
  /** Masquerade pod traffic leaving the machine (CNI ipMasq). Off by default; tests never set it. */
  podEgress?: boolean;
  shimPath?: string;
  cgroupVersion?: CgroupVersion;
  /** Further host paths containers must not see. */
  hiddenPaths?: string[];
  maxLogBytes?: number;
  maxLogFiles?: number;
}

export const RUNTIME_NAME = 'podbay';
export const RUNTIME_VERSION = '0.1.0';

export class PodbayRuntime implements RuntimeService {
  readonly paths: RuntimePaths;
  readonly records: RecordStore;
  readonly sandboxes: SandboxManager;
  readonly containers: ContainerManager;
  readonly shimPath: string;
  readonly cgroupVersion: CgroupVersion;

  constructor(deps: RuntimeDeps) {
    this.paths = new RuntimePaths(resolve(deps.dataDir));
    this.records = new RecordStore(this.paths);
    this.shimPath = deps.shimPath ?? join(findRepoRoot(), 'dist', 'bin', 'podbay-shim');
    this.cgroupVersion = deps.cgroupVersion ?? detectCgroupVersion();
    const podCidr = deps.podCidr ?? DEFAULT_POD_CIDR;
    this.sandboxes = new SandboxManager({
      records: this.records,
      ipam: new IpAllocator(this.paths.dataDir, podCidr),
      bridge: {
        podCidr,
        serviceCidr: deps.serviceCidr ?? DEFAULT_SERVICE_CIDR,
        podEgress: deps.podEgress === true,
      },
      shimPath: this.shimPath,
      cgroupVersion: this.cgroupVersion,
    });
    this.containers = new ContainerManager({
      records: this.records,
      images: deps.images,
      shimPath: this.shimPath,
      cgroupVersion: this.cgroupVersion,
      dataDir: this.paths.dataDir,
      extraHiddenPaths: deps.hiddenPaths ?? [],
      repoRoot: findRepoRoot(),
      maxLogBytes: deps.maxLogBytes ?? LOG_MAX_BYTES,
      maxLogFiles: deps.maxLogFiles ?? LOG_MAX_FILES,
    });
  }

  version(): VersionInfo {
    return {
      version: '0.1.0',
      runtimeName: RUNTIME_NAME,
      runtimeVersion: RUNTIME_VERSION,
      runtimeApiVersion: 'v1',
    };
  }

  watchContainerExits(onExit: (containerId: string) => void): () => void {
    return this.containers.exits.subscribe(onExit);
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.sandboxes.run(config);
  }

  /** Kills every container of the sandbox, then its holder; releases the IP. Safe twice. */
  async stopPodSandbox(id: string): Promise<void> {
    await this.sandboxes.get(id);
    for (const c of await this.#containersOf(id)) await this.containers.stop(c.id, 0);
    await this.sandboxes.stop(id);
  }

  async removePodSandbox(id: string): Promise<void> {
    for (const c of await this.#containersOf(id)) await this.containers.remove(c.id);
    await this.sandboxes.remove(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    return this.sandboxes.toStatus(await this.sandboxes.get(id));
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandboxStatus[]> {
    return (await this.records.listSandboxes(filter.podUid)).map((r) => this.sandboxes.toStatus(r));
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = await this.sandboxes.get(sandboxId);
    if (!this.sandboxes.isReady(sandbox)) {
      throw new InvalidArgumentError('sandboxId', `sandbox ${sandboxId} is not ready`);
    }
    return this.containers.create(sandbox, config);
  }

  startContainer(id: string): Promise<void> {
    return this.containers.start(id);
  }

  stopContainer(id: string, timeoutSeconds: number, stopSignal?: NodeJS.Signals): Promise<void> {
    return this.containers.stop(id, timeoutSeconds, stopSignal);
  }

  removeContainer(id: string): Promise<void> {
    return this.containers.remove(id);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const r of await this.records.listContainers(filter.sandboxId)) {
      const s = await this.containers.status(r);
      if (filter.state === undefined || s.state === filter.state) out.push(s);
    }
    return out;
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return this.containers.status(await this.containers.get(id));
  }

  async #running(id: string): Promise<ExecTarget> {
    const r = await this.containers.get(id);
    if (!this.containers.isRunning(r)) throw new RuntimeError('Exec', `container ${id} is not running`);
    return { pid: r.pid, configPath: join(this.paths.containerDir(id), 'shim.config') };
  }

  async execSync(id: string, cmd: string[], timeoutSeconds?: number): Promise<ExecSyncResult> {
    if (cmd.length === 0) throw new InvalidArgumentError('cmd', 'must not be empty');
    return execSync(this.shimPath, await this.#running(id), cmd, timeoutSeconds);
  }

  /**
   * Synchronous so the caller can wire streams at once; `exitCode` rejects with a RuntimeError when
   * the container is not running, and resolves 126/127 when the command cannot be started.
   */
  exec(id: string, options: ExecOptions): ExecSession {
    if (options.cmd.length === 0) throw new InvalidArgumentError('cmd', 'must not be empty');
    let session: ExecSession | undefined;
    const pending: { rows: number; cols: number }[] = [];
    const exitCode = this.#running(id).then((r) => {
      session = execStream(this.shimPath, r, options);
      for (const size of pending) session.resize(size);
      return session.exitCode;
    });
    return {
      resize: (size) => (session ? session.resize(size) : pending.push(size)),
      exitCode,
      kill: () => session?.kill(),
    };
  }

  /**
   * Synchronous like exec; `exitCode` rejects with a RuntimeError when the container is not
   * running or has no attach socket (created before attach existed, or a data dir too long).
   */
  attach(id: string, options: AttachOptions): ExecSession {
    let session: ExecSession | undefined;
    let detached = false;
    const pending: { rows: number; cols: number }[] = [];
    const exitCode = this.#running(id).then(() => {
      const socket = attachSocketPath(this.paths.containerDir(id));
      if (!socket)
        throw new RuntimeError('Attach', `container ${id} has no attach socket (data dir path too long)`);
      session = attachStream(socket, options);
      for (const size of pending) session.resize(size);
      if (detached) session.kill();
      return session.exitCode;
    });
    return {
      resize: (size) => (session ? session.resize(size) : pending.push(size)),
      exitCode,
      kill: () => {
        detached = true;
        session?.kill();
      },
    };
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new InvalidArgumentError('port', `${port} is not a TCP port (1-65535)`);
    }
    const sandbox = await this.sandboxes.get(sandboxId);
    if (!this.sandboxes.isReady(sandbox)) throw new RuntimeError('Exec', `sandbox ${sandboxId} is not ready`);
    return portForward(this.shimPath, sandbox.pid, port);
  }

  async containerStats(id: string): Promise<ContainerStats> {
    const r = await this.containers.get(id);
    const s = await containerCgroup(this.cgroupVersion, r).stats();
    return {
      id,
      cpuUsageCoreNanoSeconds: s.cpuNs,
      memoryWorkingSetBytes: s.workingSet,
      memoryUsageBytes: s.memoryUsage,
      timestamp: new Date().toISOString(),
    };
  }

  async podSandboxStats(id: string): Promise<PodSandboxStats> {
    await this.sandboxes.get(id);
    const s = await sandboxCgroup(this.cgroupVersion, id).stats();
    const containers: ContainerStats[] = [];
    for (const c of await this.#containersOf(id)) containers.push(await this.containerStats(c.id));
    return {
      id,
      cpuUsageCoreNanoSeconds: s.cpuNs,
      memoryWorkingSetBytes: s.workingSet,
      containers,
      timestamp: new Date().toISOString(),
    };
  }

  async #containersOf(sandboxId: string) {
    return this.records.listContainers(sandboxId);
  }

  /**
   * Removes every sandbox and container, then whatever podbay could have left behind: processes in
   * its cgroups, its cgroups, veths, the bridge, the nft table, IP allocations, mounts under the data
   * dir and the runtime's directories.
   */
  async cleanupAll(): Promise<void> {
    for (const c of await this.records.listContainers()) await this.containers.remove(c.id).catch(() => {});
    for (const s of await this.records.listSandboxes()) await this.sandboxes.remove(s.id).catch(() => {});
    await podbayRootCgroup(this.cgroupVersion).destroy();
    await removeBridge();
    this.sandboxes.forgetBridge();
    const mounts = await readFile('/proc/self/mounts', 'utf8');
    const under = mounts
      .split('\n')
      .map((l) => l.split(' ')[1] ?? '')
      .filter((m) => m.startsWith(`${this.paths.dataDir}/`))
      .reverse();
    for (const m of under) await run(['umount', '-l', m], { allowFailure: true });
    await rm(join(this.paths.dataDir, 'network'), { recursive: true, force: true });
    await rm(this.paths.root, { recursive: true, force: true });
    await rm(join(this.paths.dataDir, 'logs'), { recursive: true, force: true });
  }
}
