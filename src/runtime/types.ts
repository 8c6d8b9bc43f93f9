/**
 * The container runtime's contracts, shaped like the CRI (k8s.io/cri-api pkg/apis/services.go):
 * small interfaces a consumer (the kubelet, the API's exec/port-forward handlers, the metrics API)
 * depends on, so each can be faked beside its consumer. Ids are opaque hex strings.
 */
import type { Duplex, Readable, Writable } from 'node:stream';

export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface HostAlias {
  ip: string;
  hostnames: string[];
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  /** Defaults to metadata.name, as kubelet does. */
  hostname?: string;
  /** `<subdomain>.<namespace>.svc.<cluster domain>`, when the pod has a subdomain. */
  hostDomain?: string;
  dns: DnsConfig;
  hostAliases?: HostAlias[];
  /** Every container of the pod sees the others' processes (pod.spec.shareProcessNamespace). */
  shareProcessNamespace?: boolean;
  /**
   * pod.spec.hostNetwork: the host's network and UTS namespaces (as containerd does: hostname
   * is the node's), no bridge port, no pod IP of its own (the sandbox's `ip` stays '').
   */
  hostNetwork?: boolean;
  /** pod.spec.hostIPC: the host's IPC namespace. */
  hostIPC?: boolean;
  /** pod.spec.hostPID: every container in the host's PID namespace (wins over shareProcessNamespace). */
  hostPID?: boolean;
  /**
   * pids.max of the pod's cgroup, bounding all its containers' processes and threads together
   * (kubelet's podPidsLimit); absent or 0: unlimited.
   */
  pidsLimit?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export type SandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: string;
  ip: string;
  hostname: string;
  /** The pod's holder process (network, UTS, IPC namespaces); 0 once stopped. */
  pid: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readonly?: boolean;
  /** CRI MountPropagation: private (default), hostToContainer (rslave), bidirectional (rshared). */
  propagation?: 'private' | 'hostToContainer' | 'bidirectional';
}

export interface TmpfsMount {
  containerPath: string;
  sizeBytes?: number;
}

export interface LinuxResources {
  /** limits.cpu in millicores (0 = no quota). */
  cpuLimitMilli?: number;
  /** requests.cpu in millicores (0 = minimum shares). */
  cpuRequestMilli?: number;
  memoryLimitBytes?: number;
  pidsLimit?: number;
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
  fsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  /** Kubernetes' allowPrivilegeEscalation; no_new_privs is set unless this is true (or privileged). */
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  /**
   * CRI LinuxContainerSecurityContext.namespace_options, as far as a container may choose: the
   * pod's sandbox decides network, IPC and the POD/NODE PID modes, so only `pid: 'TARGET'` is
   * read here. It puts the container in the PID namespace of container `targetId` (same sandbox,
   * running at create), as the kubelet asks for an ephemeral container's targetContainerName.
   */
  namespaceOptions?: NamespaceOptions;
}

export interface NamespaceOptions {
  pid?: 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
  /** The container whose namespace `TARGET` joins. */
  targetId?: string;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** The image reference as written in the pod spec; resolved through the catalog. */
  image: string;
  /** The final argv (see resolveCommand in command.ts); argv[0] is looked up in PATH. */
  argv: string[];
  env?: { name: string; value: string }[];
  workingDir?: string;
  mounts?: Mount[];
  tmpfs?: TmpfsMount[];
  resources?: LinuxResources;
  securityContext?: SecurityContext;
  /** Pod log directory relative path (`<name>/<restartCount>.log`), as kubelet names it. */
  logPath: string;
  /** Hash of the container spec, recorded so a restarted kubelet can tell whether it changed. */
  specHash?: string;
  /** CRI `stdin`: the container's stdin stays open for attach sessions (pod spec `stdin`). */
  stdin?: boolean;
  /** CRI `stdin_once`: the container's stdin closes when the first attach session's stdin ends. */
  stdinOnce?: boolean;
  /** CRI `tty`: a pseudo-terminal is the container's stdio; its output is logged as stdout. */
  tty?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export type ContainerState =
  | 'CONTAINER_CREATED'
  | 'CONTAINER_RUNNING'
  | 'CONTAINER_EXITED'
  | 'CONTAINER_UNKNOWN';

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  metadata: ContainerMetadata;
  image: string;
  state: ContainerState;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** 'OOMKilled' or 'Error' or 'Completed' once exited, as the CRI runtimes report it. */
  reason?: string;
  message?: string;
  pid: number;
  shimPid: number;
  logPath: string;
  specHash?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** CRI's PodSandboxFilter, reduced to what the kubelet asks: one pod's sandboxes. */
export interface PodSandboxFilter {
  podUid?: string;
}

export interface ContainerFilter {
  sandboxId?: string;
  state?: ContainerState;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface ExecOptions {
  cmd: string[];
  /** Allocate a terminal in the container; ExecSession.resize then sets its size. */
  tty?: boolean;
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

/**
 * CRI AttachRequest: streams of the container's main process. Whether it has a terminal was
 * fixed at create (ContainerConfig.tty); `tty` here only says the caller expects one (stderr is
 * then merged into stdout). Without ContainerConfig.stdin the stdin stream is ignored.
 */
export type AttachOptions = Omit<ExecOptions, 'cmd'>;

/**
 * A running exec or attach; `exitCode` resolves when the command ends (attach: 0 when the
 * container's output ends). `kill` ends an exec's process, but only detaches an attach.
 */
export interface ExecSession {
  /** Sets the terminal size (TIOCSWINSZ); ignored without tty. */
  resize(size: { rows: number; cols: number }): void;
  exitCode: Promise<number>;
  kill(): void;
}

export interface ContainerStats {
  id: string;
  /** Cumulative CPU time in nanoseconds. */
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  memoryUsageBytes: number;
  timestamp: string;
}

export interface PodSandboxStats {
  id: string;
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  containers: ContainerStats[];
  timestamp: string;
}

export interface VersionInfo {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface PodSandboxManager {
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandboxStatus[]>;
}

export interface ContainerManager {
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Sends the stop signal, then SIGKILL after timeoutSeconds; resolves once the container exited. */
  stopContainer(id: string, timeoutSeconds: number, stopSignal?: NodeJS.Signals): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  containerStatus(id: string): Promise<ContainerStatus>;
}

export interface StreamingRuntime {
  execSync(id: string, cmd: string[], timeoutSeconds?: number): Promise<ExecSyncResult>;
  exec(id: string, options: ExecOptions): ExecSession;
  /** Attaches to the container's main process (CRI Attach); `exitCode` rejects when it is not running. */
  attach(id: string, options: AttachOptions): ExecSession;
  /** A byte stream to 127.0.0.1:port inside the sandbox's network namespace. */
  portForward(sandboxId: string, port: number): Promise<Duplex>;
}

export interface ContainerStatsManager {
  containerStats(id: string): Promise<ContainerStats>;
  podSandboxStats(id: string): Promise<PodSandboxStats>;
}

export interface RuntimeService
  extends PodSandboxManager,
    ContainerManager,
    StreamingRuntime,
    ContainerStatsManager {
  version(): VersionInfo;
  /**
   * Container exit events (CRI GetContainerEvents, reduced to exits): `onExit(id)` soon after a
   * running container exits. Optional: without it the kubelet learns exits at its relist.
   */
  watchContainerExits?(onExit: (containerId: string) => void): () => void;
}

export interface ResolvedImage {
  /** The reference as given. */
  reference: string;
  /** The catalog pattern that matched. */
  pattern: string;
  entrypoint: string[];
  cmd: string[];
  env: { name: string; value: string }[];
  workingDir?: string;
  user?: string;
  stopSignal: NodeJS.Signals;
  packages: string[];
}

export interface ImageService {
  pullImage(reference: string): Promise<ResolvedImage>;
  imageStatus(reference: string): Promise<ResolvedImage | undefined>;
  listImages(): Promise<ResolvedImage[]>;
}
