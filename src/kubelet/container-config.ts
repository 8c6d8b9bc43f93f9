/**
 * The runtime ContainerConfig for one container start (kuberuntime_container.go
 * generateContainerConfig): environment, `$(VAR)`-expanded command and args over the image's
 * entrypoint/cmd, volume mounts (readOnly, subPath, subPathExpr), cgroup resources, the merged
 * pod + container securityContext, the log path `<name>/<restartCount>.log` and the labels and
 * annotations a restarted kubelet reads back.
 *
 * Throws CreateContainerConfigError (env, subPath) with upstream's message; the caller records it
 * as the container's start failure.
 */
import type { SecurityContext as ApiSecurityContext, Container, Pod } from 'kubernetes-types/core/v1';
import { parseQuantity, quantityMillis, quantityValue } from '../api/quantity.js';
import { resolveCommand } from '../runtime/command.js';
import type { ContainerConfig, Mount, ResolvedImage, SecurityContext } from '../runtime/types.js';
import { hashContainer } from './container-hash.js';
import {
  CreateContainerConfigError,
  type EnvWarning,
  expandCommandAndArgs,
  makeEnvironment,
  type ObjectLookups,
} from './env.js';
import type { NodeAllocatable, PodAddresses } from './env-fields.js';
import { formatPod } from './observed.js';
import { CONTAINER_TYPE_LABEL, IMAGE_REF_ANNOTATION } from './runtime-view.js';
import type { PreparedVolume } from './volumes/setup.js';
import { expandSubPath, resolveSubPath, SubPathError } from './volumes/subpath.js';

export interface ContainerConfigInputs {
  readonly pod: Pod;
  readonly container: Container;
  /** Recorded as the container type label (so GC and termination can tell). */
  readonly type: 'init' | 'regular' | 'ephemeral';
  /** Runtime id of the container whose PID namespace this one joins (ephemeral targetContainerName). */
  readonly pidNamespaceTargetId?: string;
  readonly restartCount: number;
  readonly image: ResolvedImage;
  readonly volumes: ReadonlyMap<string, PreparedVolume>;
  readonly lookups: ObjectLookups;
  readonly addresses: PodAddresses;
  readonly allocatable: NodeAllocatable;
}

export interface BuiltContainerConfig {
  readonly config: ContainerConfig;
  readonly warnings: EnvWarning[];
}

export async function buildContainerConfig(inputs: ContainerConfigInputs): Promise<BuiltContainerConfig> {
  const { pod, container, image } = inputs;
  const { env, warnings } = makeEnvironment({
    pod,
    container,
    lookups: inputs.lookups,
    addresses: inputs.addresses,
    allocatable: inputs.allocatable,
  });
  const { command, args } = expandCommandAndArgs(container, env);
  const argv = resolveCommand({
    ...(container.command && { command }),
    ...(container.args && { args }),
    entrypoint: image.entrypoint,
    cmd: image.cmd,
  });
  const config: ContainerConfig = {
    metadata: { name: container.name, attempt: inputs.restartCount },
    image: container.image ?? '',
    argv,
    env,
    mounts: await buildMounts(container, inputs.volumes, env),
    resources: containerResources(container),
    securityContext: mergeSecurityContext(pod, container.securityContext),
    logPath: `${container.name}/${inputs.restartCount}.log`,
    specHash: hashContainer(container),
    labels: {
      'io.kubernetes.pod.name': pod.metadata?.name ?? '',
      'io.kubernetes.pod.namespace': pod.metadata?.namespace ?? '',
      'io.kubernetes.pod.uid': pod.metadata?.uid ?? '',
      'io.kubernetes.container.name': container.name,
      [CONTAINER_TYPE_LABEL]: inputs.type,
    },
    annotations: { [IMAGE_REF_ANNOTATION]: image.pattern },
  };
  if (inputs.pidNamespaceTargetId !== undefined) {
    // kuberuntime's generateLinuxContainerConfig: NamespaceMode TARGET for a targeted ephemeral container.
    config.securityContext = {
      ...config.securityContext,
      namespaceOptions: { pid: 'TARGET', targetId: inputs.pidNamespaceTargetId },
    };
  }
  if (container.workingDir) config.workingDir = container.workingDir;
  // CRI stdin / stdin_once / tty, as kuberuntime's generateContainerConfig copies them.
  if (container.stdin) config.stdin = true;
  if (container.stdinOnce) config.stdinOnce = true;
  if (container.tty) config.tty = true;
  return { config, warnings };
}

async function buildMounts(
  container: Container,
  volumes: ReadonlyMap<string, PreparedVolume>,
  env: readonly { name: string; value: string }[],
): Promise<Mount[]> {
  const mounts: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const volume = volumes.get(vm.name);
    if (!volume) {
      throw new CreateContainerConfigError(
        `cannot find volume "${vm.name}" to mount into container "${container.name}"`,
      );
    }
    let hostPath = volume.hostPath;
    try {
      const sub = expandSubPath(vm, env);
      if (sub) hostPath = await resolveSubPath(volume.hostPath, sub);
    } catch (err) {
      if (err instanceof SubPathError) throw new CreateContainerConfigError(err.message);
      throw err;
    }
    const propagation =
      vm.mountPropagation === 'Bidirectional'
        ? 'bidirectional'
        : vm.mountPropagation === 'HostToContainer'
          ? 'hostToContainer'
          : 'private';
    mounts.push({
      hostPath,
      containerPath: vm.mountPath,
      readonly: vm.readOnly === true || volume.readOnly === true,
      propagation,
    });
  }
  return mounts;
}

/** requests/limits → the runtime's cgroup settings (the runtime does kubelet's CPU arithmetic). */
export function containerResources(container: Container): ContainerConfig['resources'] {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const out: NonNullable<ContainerConfig['resources']> = {};
  // A limit without a request defaults the request to the limit (API defaulting does this too).
  const cpuRequest = requests.cpu ?? limits.cpu;
  if (limits.cpu !== undefined) out.cpuLimitMilli = Number(quantityMillis(parseQuantity(limits.cpu)));
  if (cpuRequest !== undefined) out.cpuRequestMilli = Number(quantityMillis(parseQuantity(cpuRequest)));
  if (limits.memory !== undefined) out.memoryLimitBytes = Number(quantityValue(parseQuantity(limits.memory)));
  return out;
}

/** determineEffectiveSecurityContext: the container's fields win over the pod's. */
export function mergeSecurityContext(pod: Pod, c: ApiSecurityContext | undefined): SecurityContext {
  const p = pod.spec?.securityContext ?? {};
  const out: SecurityContext = {};
  const runAsUser = c?.runAsUser ?? p.runAsUser;
  const runAsGroup = c?.runAsGroup ?? p.runAsGroup;
  if (runAsUser !== undefined) out.runAsUser = runAsUser;
  if (runAsGroup !== undefined) out.runAsGroup = runAsGroup;
  const groups = [...(p.supplementalGroups ?? []), ...(p.fsGroup !== undefined ? [p.fsGroup] : [])];
  if (groups.length > 0) out.supplementalGroups = groups;
  if (p.fsGroup !== undefined) out.fsGroup = p.fsGroup;
  if (c?.readOnlyRootFilesystem !== undefined) out.readOnlyRootFilesystem = c.readOnlyRootFilesystem;
  if (c?.privileged !== undefined) out.privileged = c.privileged;
  if (c?.allowPrivilegeEscalation !== undefined) out.allowPrivilegeEscalation = c.allowPrivilegeEscalation;
  if (c?.capabilities) {
    out.capabilities = {
      ...(c.capabilities.add && { add: [...c.capabilities.add] }),
      ...(c.capabilities.drop && { drop: [...c.capabilities.drop] }),
    };
  }
  return out;
}

/**
 * runAsNonRoot (verifyRunAsNonRoot): the effective user must be known and not 0. Returns the
 * CreateContainerConfigError message, or undefined when the start may go ahead.
 */
export function verifyRunAsNonRoot(pod: Pod, container: Container, image: ResolvedImage): string | undefined {
  const nonRoot = container.securityContext?.runAsNonRoot ?? pod.spec?.securityContext?.runAsNonRoot;
  if (!nonRoot) return undefined;
  const uid = container.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  if (uid !== undefined)
    return uid === 0
      ? `container's runAsUser breaks non-root policy (pod: "${formatPod(pod)}", container: ${container.name})`
      : undefined;
  const user = image.user?.split(':')[0];
  if (!user || user === '0' || user === 'root')
    return `container has runAsNonRoot and image will run as root (pod: "${formatPod(pod)}", container: ${container.name})`;
  if (!/^\d+$/.test(user))
    return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root (pod: "${formatPod(pod)}", container: ${container.name})`;
  return undefined;
}
