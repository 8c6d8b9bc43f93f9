/**
 * Pod sandboxes: the namespaces a pod's containers share. Setting one up, in order:
 *   1. record (so a crash mid-way is still found and cleaned by remove/cleanupAll)
 *   2. pod cgroup podbay/<id> (pids.max = config.pidsLimit), holder process (`podbay-shim pause`): new net, UTS, IPC (+ PID with shareProcessNamespace)
 *      namespaces, hostname = pod name, lo up; placed in cgroup podbay/<id>/pause
 *   3. bridge + nft (idempotent), pod IP from the allocator, veth into the namespace
 *      (skipped for hostNetwork: the holder stays in the host's network and UTS namespaces)
 *   4. /etc/hosts, /etc/resolv.conf, /etc/hostname files that containers bind-mount
 * Stop kills the holder and releases the network; remove also deletes cgroups, files and logs.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { type BridgeConfig, bridgeExists, ensureBridge } from '../network/bridge.js';
import type { IpAllocator } from '../network/ipam.js';
import { renderHostsFile, renderResolvConf } from '../network/pod-dns-files.js';
import { attachPodInterface, detachPodInterface } from '../network/pod-interface.js';
import { Cgroup, type CgroupVersion } from './cgroups.js';
import { InvalidArgumentError, NotFoundError, RuntimeError } from './errors.js';
import { run } from './host-command.js';
import { renderHostNetworkHostsFile } from './host-network-files.js';
import { isSameProcessAlive, processStartTime, signalIfSame, waitUntil } from './process.js';
import type { RecordStore, SandboxRecord } from './records.js';
import type { PodSandboxConfig, PodSandboxStatus } from './types.js';

export interface SandboxDeps {
  records: RecordStore;
  ipam: IpAllocator;
  bridge: BridgeConfig;
  shimPath: string;
  cgroupVersion: CgroupVersion;
}

const HOSTNAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function sandboxCgroup(version: CgroupVersion, id: string): Cgroup {
  return new Cgroup(version, id);
}

export class SandboxManager {
  #bridgeReady: Promise<void> | undefined;

  constructor(readonly deps: SandboxDeps) {}

  async run(config: PodSandboxConfig): Promise<string> {
    const m = config.metadata;
    for (const f of ['name', 'namespace', 'uid'] as const) {
      if (!m[f]) throw new InvalidArgumentError(`metadata.${f}`, 'required');
    }
    // A hostNetwork pod shares the host's UTS namespace, so its hostname is the node's whatever
    // the config asks (kubelet leaves it empty for such pods).
    const hostNetwork = config.hostNetwork === true;
    const hostname = hostNetwork ? osHostname() : (config.hostname ?? m.name.slice(0, 63));
    if (!hostNetwork && (hostname.length > 63 || !HOSTNAME_RE.test(hostname))) {
      throw new InvalidArgumentError('hostname', `${JSON.stringify(hostname)} is not a valid DNS label`);
    }
    const id = randomBytes(16).toString('hex');
    const record: SandboxRecord = {
      id,
      metadata: { ...m },
      hostname,
      ...(config.hostDomain !== undefined && { hostDomain: config.hostDomain }),
      shareProcessNamespace: config.shareProcessNamespace === true,
      ...(hostNetwork && { hostNetwork }),
      ...(config.hostIPC === true && { hostIPC: true }),
      ...(config.hostPID === true && { hostPID: true }),
      createdAt: new Date().toISOString(),
      ip: '',
      pid: 0,
      pidStartTime: 0,
      stopped: false,
      labels: { ...config.labels },
      annotations: { ...config.annotations },
    };
    await this.deps.records.saveSandbox(record);
    try {
      await this.#setUp(record, config);
    } catch (e) {
      await this.remove(id).catch(() => {});
      throw e;
    }
    return id;
  }

  async #setUp(record: SandboxRecord, config: PodSandboxConfig): Promise<void> {
    const { records, shimPath, cgroupVersion } = this.deps;
    const cg = new Cgroup(cgroupVersion, `${record.id}/pause`);
    await cg.create();
    // Set on the pod cgroup before anything runs in it, so no container can fork past it.
    if (config.pidsLimit) await sandboxCgroup(cgroupVersion, record.id).setPidsMax(config.pidsLimit);
    const args = [shimPath, 'pause', '--hostname', record.hostname];
    // hostPID: the holder stays in the host's PID namespace and containers join it (below).
    if (record.shareProcessNamespace && !record.hostPID) args.push('--share-pid');
    if (record.hostNetwork) args.push('--host-network');
    if (record.hostIPC) args.push('--host-ipc');
    const started = await run(args).catch((e: Error) => {
      throw new RuntimeError('SandboxSetup', `start sandbox holder: ${e.message}`);
    });
    record.pid = Number(started.stdout.trim());
    record.pidStartTime = processStartTime(record.pid) ?? 0;
    for (const procs of cg.procsFiles()) await writeFile(procs, String(record.pid));
    await records.saveSandbox(record);
    const dir = records.paths.sandboxDir(record.id);
    if (record.hostNetwork) {
      const hostHosts = await readFile('/etc/hosts', 'utf8').catch(() => '');
      await writeFile(join(dir, 'hosts'), renderHostNetworkHostsFile(hostHosts, config.hostAliases));
    } else {
      await this.#attachNetwork(record);
      await writeFile(
        join(dir, 'hosts'),
        renderHostsFile({
          podIP: record.ip,
          hostname: record.hostname,
          ...(config.hostDomain !== undefined && { hostDomain: config.hostDomain }),
          ...(config.hostAliases !== undefined && { hostAliases: config.hostAliases }),
        }),
      );
    }
    await writeFile(join(dir, 'resolv.conf'), renderResolvConf(config.dns));
    await writeFile(join(dir, 'hostname'), `${record.hostname}\n`);
    await mkdir(records.paths.podLogDir(record.metadata), { recursive: true });
  }

  /** Bridge, pod IP and veth for a sandbox in its own network namespace. */
  async #attachNetwork(record: SandboxRecord): Promise<void> {
    const { records, ipam } = this.deps;
    // Re-checked on every sandbox, as CNI's bridge plugin does: something else may have removed
    // the bridge since it was made (a `podbay down`, an administrator), and a cached "ready" would
    // then fail every later pod.
    if (!bridgeExists()) this.#bridgeReady = undefined;
    this.#bridgeReady ??= ensureBridge(this.deps.bridge);
    await this.#bridgeReady.catch((e: Error) => {
      this.#bridgeReady = undefined;
      throw e;
    });
    record.ip = await ipam.allocate(record.id);
    await records.saveSandbox(record);
    await attachPodInterface({
      sandboxId: record.id,
      holderPid: record.pid,
      podIP: record.ip,
      podCidr: this.deps.bridge.podCidr,
      gateway: ipam.gateway,
    });
  }

  /** Forgets that the bridge was set up (after cleanupAll removed it), so the next sandbox recreates it. */
  forgetBridge(): void {
    this.#bridgeReady = undefined;
  }

  async get(id: string): Promise<SandboxRecord> {
    const r = await this.deps.records.loadSandbox(id);
    if (!r) throw new NotFoundError('sandbox', id);
    return r;
  }

  isReady(r: SandboxRecord): boolean {
    return !r.stopped && isSameProcessAlive(r.pid, r.pidStartTime);
  }

  toStatus(r: SandboxRecord): PodSandboxStatus {
    const ready = this.isReady(r);
    return {
      id: r.id,
      metadata: r.metadata,
      state: ready ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY',
      createdAt: r.createdAt,
      ip: r.ip,
      hostname: r.hostname,
      pid: ready ? r.pid : 0,
      labels: r.labels,
      annotations: r.annotations,
    };
  }

  /** Kills the holder (its namespaces go with it) and releases the IP. Containers are stopped by the caller. */
  async stop(id: string): Promise<void> {
    const r = await this.get(id);
    if (signalIfSame(r.pid, r.pidStartTime, 'SIGKILL')) {
      await waitUntil(() => !isSameProcessAlive(r.pid, r.pidStartTime), 5000);
    }
    if (!r.hostNetwork) await detachPodInterface(r.id);
    if (r.ip) await this.deps.ipam.release(r.ip, r.id);
    r.stopped = true;
    await this.deps.records.saveSandbox(r);
  }

  /** Removes everything the sandbox made. Containers are removed by the caller first. Safe twice. */
  async remove(id: string): Promise<void> {
    const r = await this.deps.records.loadSandbox(id);
    if (!r) return;
    if (!r.stopped) await this.stop(id);
    await sandboxCgroup(this.deps.cgroupVersion, id).destroy();
    await rm(this.deps.records.paths.podLogDir(r.metadata), { recursive: true, force: true });
    await rm(this.deps.records.paths.sandboxDir(id), { recursive: true, force: true });
    this.deps.records.forgetSandbox(id);
  }
}
