/**
 * The runtime's state on disk, the source of truth for what sandboxes and containers exist: each
 * record describes itself (pod uid/name/namespace, container name, spec hash, restart attempt, pids,
 * log path, timestamps) so a fresh RuntimeService lists and adopts everything from disk alone.
 * Layout under `<dataDir>/runtime/`:
 *   sandboxes/<id>/sandbox.json, hosts, resolv.conf, hostname
 *   containers/<id>/container.json, shim.config, pid (shim), exit.json (shim), upper/ work/ rootfs/
 * Records are replaced atomically (write + rename), so a crash never leaves half a record.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerMetadata, PodSandboxMetadata } from './types.js';

export interface SandboxRecord {
  id: string;
  metadata: PodSandboxMetadata;
  hostname: string;
  hostDomain?: string;
  shareProcessNamespace: boolean;
  /** Absent in records written before host namespaces existed: false. */
  hostNetwork?: boolean;
  hostIPC?: boolean;
  hostPID?: boolean;
  createdAt: string;
  /** The pod IP on the bridge; '' for a hostNetwork sandbox (the kubelet reports the host IP). */
  ip: string;
  /** The holder ("pause") process; 0 once stopped. */
  pid: number;
  /** /proc/<pid>/stat start time, so a recycled pid is never mistaken for the holder. */
  pidStartTime: number;
  stopped: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  metadata: ContainerMetadata;
  image: string;
  createdAt: string;
  startedAt?: string;
  pid: number;
  pidStartTime: number;
  shimPid: number;
  /** /proc/<shimPid>/stat start time (absent in records written before it was kept: pid only). */
  shimStartTime?: number;
  logPath: string;
  specHash?: string;
  stopSignal: NodeJS.Signals;
  /** The identity every exec in this container takes. */
  uid: number;
  gid: number;
  groups: number[];
  capsMask: string;
  noNewPrivs: boolean;
  privileged: boolean;
  env: { name: string; value: string }[];
  workingDir: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Set when the shim could not start the process: the instance counts as exited (StartError). */
  startError?: { message: string; finishedAt: string };
}

export interface ExitRecord {
  exitCode: number;
  signal: number;
  finishedAt: string;
  /** Written by the engine, not the shim, when it recorded the exit itself (the shim was lost). */
  message?: string;
}

export class RuntimePaths {
  constructor(readonly dataDir: string) {}
  get root(): string {
    return join(this.dataDir, 'runtime');
  }
  sandboxDir(id: string): string {
    return join(this.root, 'sandboxes', id);
  }
  containerDir(id: string): string {
    return join(this.root, 'containers', id);
  }
  get logRoot(): string {
    return join(this.dataDir, 'logs', 'pods');
  }
  /** kubelet's pod log directory name: `<namespace>_<name>_<uid>`. */
  podLogDir(m: PodSandboxMetadata): string {
    return join(this.logRoot, `${m.namespace}_${m.name}_${m.uid}`);
  }
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Sandbox and container records, cached in memory after their first read. The disk stays the
 * source of truth (a fresh RecordStore rebuilds everything from it), but this process is the only
 * writer of the records of its data dir, so a record read once is served from memory afterwards:
 * the kubelet lists the runtime on every pod sync and every relist, and re-reading and re-parsing
 * every record each time made that O(pods) file reads per sync. Listings still read the directory,
 * so records created or removed by another process (a test's second runtime on the same data dir)
 * are picked up. Callers get copies: they mutate records before saving them.
 */
export class RecordStore {
  readonly #sandboxes = new Map<string, SandboxRecord>();
  readonly #containers = new Map<string, ContainerRecord>();
  readonly #exits = new Map<string, ExitRecord>();
  readonly #loaded = new Set<'sandboxes' | 'containers'>();

  constructor(readonly paths: RuntimePaths) {}

  /** The runtime's directory holds env values and launch files: root only (0700). */
  async #ensureRoot(): Promise<void> {
    await mkdir(this.paths.root, { recursive: true, mode: 0o700 });
  }

  async saveSandbox(r: SandboxRecord): Promise<void> {
    await this.#ensureRoot();
    await mkdir(this.paths.sandboxDir(r.id), { recursive: true });
    await writeJsonAtomic(join(this.paths.sandboxDir(r.id), 'sandbox.json'), r);
    this.#sandboxes.set(r.id, structuredClone(r));
  }
  async loadSandbox(id: string): Promise<SandboxRecord | undefined> {
    const r = await this.#cached(this.#sandboxes, join(this.paths.sandboxDir(id), 'sandbox.json'), id);
    return r && structuredClone(r);
  }
  async saveContainer(r: ContainerRecord): Promise<void> {
    await this.#ensureRoot();
    await mkdir(this.paths.containerDir(r.id), { recursive: true });
    await writeJsonAtomic(join(this.paths.containerDir(r.id), 'container.json'), r);
    this.#containers.set(r.id, structuredClone(r));
  }
  async loadContainer(id: string): Promise<ContainerRecord | undefined> {
    const r = await this.#cached(this.#containers, join(this.paths.containerDir(id), 'container.json'), id);
    return r && structuredClone(r);
  }
  /**
   * The shim writes this file once, when the container exits: read from disk until it exists,
   * then served from memory (an instance never exits twice; its id is never reused).
   */
  async loadExit(id: string): Promise<ExitRecord | undefined> {
    const hit = this.#exits.get(id);
    if (hit) return { ...hit };
    const exit = await readJson<ExitRecord>(join(this.paths.containerDir(id), 'exit.json'));
    if (exit) this.#exits.set(id, exit);
    return exit && { ...exit };
  }
  /**
   * Records an exit the shim can no longer write (it died under its container). The shim's own file,
   * if it appeared meanwhile, wins: an instance exits once.
   */
  async saveExitUnlessPresent(id: string, exit: ExitRecord): Promise<ExitRecord> {
    const existing = await this.loadExit(id);
    if (existing) return existing;
    await writeJsonAtomic(join(this.paths.containerDir(id), 'exit.json'), exit);
    this.#exits.set(id, exit);
    return { ...exit };
  }
  /** Drops a removed record from the cache (its directory is gone). */
  forgetSandbox(id: string): void {
    this.#sandboxes.delete(id);
  }
  forgetContainer(id: string): void {
    this.#containers.delete(id);
    this.#exits.delete(id);
  }

  async #cached<T>(cache: Map<string, T>, path: string, id: string): Promise<T | undefined> {
    const hit = cache.get(id);
    if (hit) return hit;
    const r = await readJson<T>(path);
    if (r) cache.set(id, r);
    return r;
  }

  async #ids(kind: 'sandboxes' | 'containers'): Promise<string[]> {
    return readdir(join(this.paths.root, kind)).catch(() => [] as string[]);
  }

  /** Every record whose directory exists; the cache forgets records whose directory is gone. */
  /**
   * Every record whose directory exists (the cache forgets records whose directory is gone and
   * loads ones it has not seen), or, with `keep`, a subset served from the cache once one full
   * listing has loaded it: the per-pod queries of every sync must not scan the directory.
   */
  async #list<T>(
    kind: 'sandboxes' | 'containers',
    cache: Map<string, T>,
    file: string,
    keep?: (r: T) => boolean,
  ): Promise<T[]> {
    if (keep && this.#loaded.has(kind)) {
      const out: T[] = [];
      for (const r of cache.values()) if (keep(r)) out.push(structuredClone(r));
      return out;
    }
    const ids = await this.#ids(kind);
    const present = new Set(ids);
    for (const id of cache.keys()) if (!present.has(id)) cache.delete(id);
    for (const id of ids)
      if (!cache.has(id)) await this.#cached(cache, join(this.paths.root, kind, id, file), id);
    this.#loaded.add(kind);
    const out: T[] = [];
    for (const id of ids) {
      const r = cache.get(id);
      if (r && (!keep || keep(r))) out.push(structuredClone(r));
    }
    return out;
  }
  /** Every sandbox record, or only those of one pod UID. */
  listSandboxes(podUid?: string): Promise<SandboxRecord[]> {
    return this.#list(
      'sandboxes',
      this.#sandboxes,
      'sandbox.json',
      podUid === undefined ? undefined : (r) => r.metadata.uid === podUid,
    );
  }
  /** Every container record, or only those of one sandbox. */
  async listContainers(sandboxId?: string): Promise<ContainerRecord[]> {
    return this.#list(
      'containers',
      this.#containers,
      'container.json',
      sandboxId === undefined ? undefined : (r) => r.sandboxId === sandboxId,
    );
  }
}
