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
  createdAt: string;
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
}

export interface ExitRecord {
  exitCode: number;
  signal: number;
  finishedAt: string;
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

export class RecordStore {
  constructor(readonly paths: RuntimePaths) {}

  /** The runtime's directory holds env values and launch files: root only (0700). */
  async #ensureRoot(): Promise<void> {
    await mkdir(this.paths.root, { recursive: true, mode: 0o700 });
  }

  async saveSandbox(r: SandboxRecord): Promise<void> {
    await this.#ensureRoot();
    await mkdir(this.paths.sandboxDir(r.id), { recursive: true });
    await writeJsonAtomic(join(this.paths.sandboxDir(r.id), 'sandbox.json'), r);
  }
  loadSandbox(id: string): Promise<SandboxRecord | undefined> {
    return readJson(join(this.paths.sandboxDir(id), 'sandbox.json'));
  }
  async saveContainer(r: ContainerRecord): Promise<void> {
    await this.#ensureRoot();
    await mkdir(this.paths.containerDir(r.id), { recursive: true });
    await writeJsonAtomic(join(this.paths.containerDir(r.id), 'container.json'), r);
  }
  loadContainer(id: string): Promise<ContainerRecord | undefined> {
    return readJson(join(this.paths.containerDir(id), 'container.json'));
  }
  loadExit(id: string): Promise<ExitRecord | undefined> {
    return readJson(join(this.paths.containerDir(id), 'exit.json'));
  }

  async #ids(kind: 'sandboxes' | 'containers'): Promise<string[]> {
    return readdir(join(this.paths.root, kind)).catch(() => [] as string[]);
  }
  async listSandboxes(): Promise<SandboxRecord[]> {
    const out: SandboxRecord[] = [];
    for (const id of await this.#ids('sandboxes')) {
      const r = await this.loadSandbox(id);
      if (r) out.push(r);
    }
    return out;
  }
  async listContainers(): Promise<ContainerRecord[]> {
    const out: ContainerRecord[] = [];
    for (const id of await this.#ids('containers')) {
      const r = await this.loadContainer(id);
      if (r) out.push(r);
    }
    return out;
  }
}
