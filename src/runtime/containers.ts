/**
 * Containers: create writes the record, the overlay directories, the cgroup with its limits and the
 * shim's launch file; start runs `podbay-shim run`, which execs the container and stays as its
 * monitor; status is derived from the record, the shim's pid/exit files and the cgroup's OOM count.
 * The container's mounts live only in its own mount namespace, so nothing has to be unmounted on
 * the host when it goes away.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { attachSocketPath } from './attach.js';
import { capabilityMask } from './capabilities.js';
import { Cgroup, type CgroupVersion } from './cgroups.js';
import { InvalidArgumentError, NotFoundError, RuntimeError } from './errors.js';
import { ContainerExitWatcher } from './exit-watcher.js';
import { run } from './host-command.js';
import { resolveIdentity } from './identity.js';
import { isSameProcessAlive, processStartTime, signalIfSame, waitUntil } from './process.js';
import type { ContainerRecord, RecordStore, SandboxRecord } from './records.js';
import { encodeShimConfig } from './shim-config.js';
import type { ContainerConfig, ContainerStatus, ImageService } from './types.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const LOG_MAX_BYTES = 10 * 1024 * 1024;
/** containerd's exit code for a container whose process could not be started. */
export const START_ERROR_EXIT_CODE = 128;
export const LOG_MAX_FILES = 5;

/** Host paths no container may see, besides the data dir (overlay whiteouts). */
export const HIDDEN_HOST_PATHS = [
  '/root',
  '/home',
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
];

/** Host directories that start empty in every container (their host contents are hidden). */
export const EMPTIED_HOST_DIRS = ['/tmp', '/var/tmp', '/run'];

export interface ContainerDeps {
  records: RecordStore;
  images: ImageService;
  shimPath: string;
  cgroupVersion: CgroupVersion;
  dataDir: string;
  extraHiddenPaths: string[];
  /** The podbay checkout: catalog entrypoints (`${PODBAY_REPO}/...`) run from it. */
  repoRoot: string;
  maxLogBytes: number;
  maxLogFiles: number;
}

export function containerCgroup(version: CgroupVersion, r: { sandboxId: string; id: string }): Cgroup {
  return new Cgroup(version, `${r.sandboxId}/${r.id}`);
}

/**
 * The podbay checkout, read-only at its own path, when it lies under a directory containers see
 * emptied or hidden (a clone in /tmp, /root or /home): the catalog's images run their programs
 * from it, as an image carries its own.
 */
function repoMount(repoRoot: string) {
  const root = resolve(repoRoot);
  const hidden = [...EMPTIED_HOST_DIRS, ...HIDDEN_HOST_PATHS].some(
    (d) => root === d || root.startsWith(`${d}/`),
  );
  return hidden ? [{ src: root, dst: root, readonly: true, propagation: 'private' } as const] : [];
}

/** The host's SSH keys (/etc/ssh/*key*), hidden like the other secrets. */
function sshKeys(): string[] {
  try {
    return readdirSync('/etc/ssh')
      .filter((n) => n.includes('key'))
      .map((n) => `/etc/ssh/${n}`);
  } catch {
    return [];
  }
}

export class ContainerManager {
  /** Exit events for the kubelet's PLEG (exit-watcher.ts). */
  readonly exits = new ContainerExitWatcher();
  constructor(readonly deps: ContainerDeps) {}

  async create(sandbox: SandboxRecord, config: ContainerConfig): Promise<string> {
    const { records, images, cgroupVersion } = this.deps;
    if (!config.metadata?.name) throw new InvalidArgumentError('metadata.name', 'required');
    if (!config.argv || config.argv.length === 0) throw new InvalidArgumentError('argv', 'must not be empty');
    if (!config.logPath || config.logPath.includes('..')) {
      throw new InvalidArgumentError('logPath', 'required, relative to the pod log directory, without ..');
    }
    const pidTarget = await this.#pidTarget(sandbox, config);
    const image = await images.pullImage(config.image);
    const identity = resolveIdentity(config.securityContext, image.user);
    const env = new Map<string, string>([['PATH', DEFAULT_PATH]]);
    env.set('HOSTNAME', sandbox.hostname);
    for (const e of image.env) env.set(e.name, e.value);
    for (const e of config.env ?? []) env.set(e.name, e.value);
    const id = randomBytes(16).toString('hex');
    const record: ContainerRecord = {
      id,
      sandboxId: sandbox.id,
      metadata: { ...config.metadata },
      image: config.image,
      createdAt: new Date().toISOString(),
      pid: 0,
      pidStartTime: 0,
      shimPid: 0,
      logPath: join(records.paths.podLogDir(sandbox.metadata), config.logPath),
      ...(config.specHash !== undefined && { specHash: config.specHash }),
      stopSignal: image.stopSignal,
      uid: identity.uid,
      gid: identity.gid,
      groups: identity.groups,
      capsMask: capabilityMask(identity.capabilities),
      noNewPrivs: identity.noNewPrivs,
      privileged: identity.privileged,
      env: [...env].map(([name, value]) => ({ name, value })),
      workingDir: config.workingDir || image.workingDir || '/',
      labels: { ...config.labels },
      annotations: { ...config.annotations },
    };
    const dir = records.paths.containerDir(id);
    await records.saveContainer(record);
    try {
      for (const sub of ['upper', 'work', 'rootfs']) await mkdir(join(dir, sub), { recursive: true });
      await mkdir(dirname(record.logPath), { recursive: true });
      const cg = containerCgroup(cgroupVersion, record);
      await cg.create();
      await cg.applyResources(config.resources ?? {});
      const sbDir = records.paths.sandboxDir(sandbox.id);
      const attachSocket = attachSocketPath(dir);
      const launch = encodeShimConfig({
        id,
        logPath: record.logPath,
        exitFile: join(dir, 'exit.json'),
        pidFile: join(dir, 'pid'),
        sandboxPid: sandbox.pid,
        // Joining the holder's PID namespace is the host's own when the pod has hostPID.
        sharePid: sandbox.shareProcessNamespace || sandbox.hostPID === true,
        ...(pidTarget !== undefined && { pidTarget }),
        cgroupProcs: cg.procsFiles(),
        upper: join(dir, 'upper'),
        work: join(dir, 'work'),
        rootfs: join(dir, 'rootfs'),
        // A whiteout inside an opaque directory would be listed as a device node; it is hidden anyway.
        hide: [
          resolve(this.deps.dataDir),
          ...HIDDEN_HOST_PATHS,
          ...sshKeys(),
          ...this.deps.extraHiddenPaths,
        ].filter((p) => !EMPTIED_HOST_DIRS.some((d) => p === d || p.startsWith(`${d}/`))),
        opaque: EMPTIED_HOST_DIRS,
        mounts: [
          { src: join(sbDir, 'hosts'), dst: '/etc/hosts', readonly: false, propagation: 'private' },
          {
            src: join(sbDir, 'resolv.conf'),
            dst: '/etc/resolv.conf',
            readonly: false,
            propagation: 'private',
          },
          { src: join(sbDir, 'hostname'), dst: '/etc/hostname', readonly: false, propagation: 'private' },
          ...repoMount(this.deps.repoRoot),
          ...(config.mounts ?? []).map((m, i) => {
            if (!m.hostPath.startsWith('/') || !m.containerPath.startsWith('/')) {
              throw new InvalidArgumentError(`mounts[${i}]`, 'hostPath and containerPath must be absolute');
            }
            const propagation =
              m.propagation === 'bidirectional'
                ? 'rshared'
                : m.propagation === 'hostToContainer'
                  ? 'rslave'
                  : 'private';
            return {
              src: m.hostPath,
              dst: m.containerPath,
              readonly: m.readonly === true,
              propagation,
            } as const;
          }),
        ],
        tmpfs: (config.tmpfs ?? []).map((t) => ({
          dst: t.containerPath,
          options: `mode=1777${t.sizeBytes ? `,size=${t.sizeBytes}` : ''}`,
        })),
        readonlyRoot: config.securityContext?.readOnlyRootFilesystem === true,
        privileged: identity.privileged,
        capsMask: record.capsMask,
        noNewPrivs: identity.noNewPrivs,
        uid: identity.uid,
        gid: identity.gid,
        groups: identity.groups,
        cwd: record.workingDir,
        env: record.env.map((e) => `${e.name}=${e.value}`),
        argv: config.argv,
        maxLogSize: this.deps.maxLogBytes,
        maxLogFiles: this.deps.maxLogFiles,
        ...(config.stdin && { stdin: true }),
        ...(config.stdin && config.stdinOnce && { stdinOnce: true }),
        ...(config.tty && { tty: true }),
        ...(attachSocket !== undefined && { attachSocket }),
      });
      await writeFile(join(dir, 'shim.config'), launch);
    } catch (e) {
      await this.remove(id).catch(() => {});
      throw e;
    }
    return id;
  }

  /**
   * The host pid whose PID namespace a `namespaceOptions.pid: TARGET` container joins: the target
   * must be a running container of the same sandbox (containerd resolves it at create too).
   */
  async #pidTarget(sandbox: SandboxRecord, config: ContainerConfig): Promise<number | undefined> {
    const ns = config.securityContext?.namespaceOptions;
    if (ns?.pid !== 'TARGET') return undefined;
    const field = 'securityContext.namespaceOptions.targetId';
    if (!ns.targetId) throw new InvalidArgumentError(field, 'required when pid is TARGET');
    const target = await this.get(ns.targetId).catch(() => undefined);
    if (!target || target.sandboxId !== sandbox.id) {
      throw new InvalidArgumentError(field, `container ${ns.targetId} is not in sandbox ${sandbox.id}`);
    }
    if (target.shimPid === 0 || !this.isRunning(target)) {
      throw new InvalidArgumentError(field, `target container ${target.metadata.name} is not running`);
    }
    return target.pid;
  }

  /**
   * The record, completed from the shim's pid file when the engine died between launching the shim
   * and saving what it printed: the pid file is written before the launch reports success.
   */
  async get(id: string): Promise<ContainerRecord> {
    const r = await this.deps.records.loadContainer(id);
    if (!r) throw new NotFoundError('container', id);
    if (r.shimPid === 0) {
      const pidFile = join(this.deps.records.paths.containerDir(id), 'pid');
      const text = await readFile(pidFile, 'utf8').catch(() => '');
      const [pid, shimPid] = text.trim().split(' ').map(Number);
      if (pid && shimPid) {
        r.pid = pid;
        r.shimPid = shimPid;
        r.pidStartTime = processStartTime(pid) ?? 0;
        r.shimStartTime = processStartTime(shimPid) ?? 0;
        r.startedAt = (await stat(pidFile)).mtime.toISOString();
        await this.deps.records.saveContainer(r);
      }
    }
    return r;
  }

  async start(id: string): Promise<void> {
    const r = await this.get(id);
    if (r.shimPid !== 0) throw new InvalidArgumentError('container', `${id} was already started`);
    const dir = this.deps.records.paths.containerDir(id);
    const out = await run([this.deps.shimPath, 'run', join(dir, 'shim.config')], { allowFailure: true });
    if (out.exitCode !== 0) {
      const message = `start container ${r.metadata.name}: ${out.stderr.trim()}`;
      // As containerd: the instance is now exited (128, StartError), so the kubelet backs off
      // before creating the next one instead of retrying at once.
      r.startError = { message, finishedAt: new Date().toISOString() };
      await this.deps.records.saveContainer(r);
      throw new RuntimeError('ContainerStart', message);
    }
    const [pid, shimPid] = out.stdout.trim().split(' ').map(Number) as [number, number];
    r.pid = pid;
    r.shimPid = shimPid;
    r.pidStartTime = processStartTime(pid) ?? 0;
    r.shimStartTime = processStartTime(shimPid) ?? 0;
    r.startedAt = new Date().toISOString();
    await this.deps.records.saveContainer(r);
    this.exits.watch(id, dir);
  }

  isRunning(r: ContainerRecord): boolean {
    return r.pid > 0 && isSameProcessAlive(r.pid, r.pidStartTime);
  }

  /** The container's shim (its parent, log writer and exit reporter) is still there. */
  private shimAlive(r: ContainerRecord): boolean {
    const startTime = r.shimStartTime ?? processStartTime(r.shimPid);
    return startTime !== undefined && isSameProcessAlive(r.shimPid, startTime);
  }

  /**
   * The shim died under a running container (killed by hand, or by the OOM killer): nothing drains the
   * container's output any more and nothing would report its exit. Do what containerd does after a lost
   * shim (`shim delete`: runc delete --force, exit status 128+SIGKILL): kill every process in the
   * container's cgroup and record exit 137, so the kubelet sees the container exited and restarts it
   * by policy. podbay also says why in the status message, where containerd leaves it empty.
   */
  private async killOrphaned(r: ContainerRecord): Promise<void> {
    await this.killAll(r);
    await this.deps.records.saveExitUnlessPresent(r.id, {
      exitCode: 128 + 9,
      signal: 9,
      finishedAt: new Date().toISOString(),
      message: `the container's shim (pid ${r.shimPid}) died; its processes were killed`,
    });
  }

  /** SIGKILL to every process in the container's cgroup until the main process is gone (2 s at most). */
  private async killAll(r: ContainerRecord): Promise<void> {
    const cg = containerCgroup(this.deps.cgroupVersion, r);
    for (let i = 0; i < 100 && this.isRunning(r); i++) {
      for (const pid of await cg.pids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  async status(r: ContainerRecord): Promise<ContainerStatus> {
    // A live process has no exit file yet: skip the read (every relist asks for every container).
    let running = r.shimPid > 0 && this.isRunning(r);
    if (running && !this.shimAlive(r)) {
      await this.killOrphaned(r);
      running = false;
    }
    // Containers found running (e.g. re-adopted after a restart) are watched for their exit too.
    if (running) this.exits.watch(r.id, this.deps.records.paths.containerDir(r.id));
    let exit = r.shimPid > 0 && !running ? await this.deps.records.loadExit(r.id) : undefined;
    const base: ContainerStatus = {
      id: r.id,
      sandboxId: r.sandboxId,
      metadata: r.metadata,
      image: r.image,
      state: 'CONTAINER_CREATED',
      createdAt: r.createdAt,
      ...(r.startedAt !== undefined && { startedAt: r.startedAt }),
      pid: 0,
      shimPid: r.shimPid,
      logPath: r.logPath,
      ...(r.specHash !== undefined && { specHash: r.specHash }),
      labels: r.labels,
      annotations: r.annotations,
    };
    if (r.startError) {
      return {
        ...base,
        state: 'CONTAINER_EXITED',
        startedAt: r.startError.finishedAt,
        finishedAt: r.startError.finishedAt,
        exitCode: START_ERROR_EXIT_CODE,
        reason: 'StartError',
        message: r.startError.message,
      };
    }
    if (r.shimPid === 0) return base;
    if (running) return { ...base, state: 'CONTAINER_RUNNING', pid: r.pid };
    if (!exit) {
      // The process is gone but its shim still drains the output before writing the exit file.
      if (this.shimAlive(r)) return { ...base, state: 'CONTAINER_RUNNING', pid: r.pid };
      // The shim writes the exit file before it exits: it may have done both since the read above.
      exit = await this.deps.records.loadExit(r.id);
    }
    if (exit) {
      const oom = (await containerCgroup(this.deps.cgroupVersion, r).oomKills()) > 0;
      return {
        ...base,
        state: 'CONTAINER_EXITED',
        finishedAt: exit.finishedAt,
        exitCode: exit.exitCode,
        reason: oom ? 'OOMKilled' : exit.exitCode === 0 ? 'Completed' : 'Error',
        ...(exit.message !== undefined && { message: exit.message }),
      };
    }
    // Neither running nor an exit file: the monitor died with it (e.g. the machine rebooted).
    return {
      ...base,
      state: 'CONTAINER_EXITED',
      exitCode: 255,
      reason: 'Unknown',
      message: 'container monitor lost',
    };
  }

  /** Stop signal, then SIGKILL of every process in the container's cgroup after the grace period. */
  async stop(id: string, timeoutSeconds: number, signal?: NodeJS.Signals): Promise<void> {
    const r = await this.get(id);
    if (r.shimPid === 0 || !this.isRunning(r)) return;
    const exitFile = () => this.deps.records.loadExit(id).then((e) => e !== undefined);
    if (timeoutSeconds > 0 && signalIfSame(r.pid, r.pidStartTime, signal ?? r.stopSignal)) {
      const deadline = Date.now() + timeoutSeconds * 1000;
      while (Date.now() < deadline && this.isRunning(r)) await new Promise((res) => setTimeout(res, 25));
    }
    if (!this.shimAlive(r)) {
      // Nobody would write the exit file: record it here instead of waiting 5 s for it.
      await this.killOrphaned(r);
      return;
    }
    await this.killAll(r);
    // The monitor writes the exit file once the output pipes are drained.
    for (let i = 0; i < 250 && !(await exitFile()); i++) await new Promise((res) => setTimeout(res, 20));
  }

  /** Stops (immediately) and removes the container's cgroup and directories. Logs stay with the pod. */
  async remove(id: string): Promise<void> {
    const r = await this.deps.records.loadContainer(id);
    if (!r) return;
    await this.stop(id, 0);
    await waitUntil(() => !isSameProcessAlive(r.shimPid, processStartTime(r.shimPid) ?? -1), 3000);
    await containerCgroup(this.deps.cgroupVersion, r).destroy();
    this.exits.unwatch(id);
    await rm(this.deps.records.paths.containerDir(id), { recursive: true, force: true });
    this.deps.records.forgetContainer(id);
  }
}
