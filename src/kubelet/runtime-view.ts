/**
 * What the runtime holds for each pod, read in one pass (kubelet's PLEG relist + GetPodStatus):
 * runtime sandbox and container statuses grouped by pod UID and converted into ObservedPod, the
 * shape the decision modules read. Runtime objects describe themselves (sandbox metadata carries
 * the pod's name, namespace and UID; container metadata its name and attempt = restart count), so
 * a freshly started kubelet rebuilds everything from this listing alone.
 */
import type { ContainerStatus, PodSandboxStatus, RuntimeService } from '../runtime/types.js';
import type { ObservedContainer, ObservedPod, ObservedState } from './observed.js';
import { readTerminationMessage } from './termination-message.js';

/** Everything the runtime has for one pod UID. */
export interface RuntimePod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  /** Newest first. */
  readonly sandboxes: readonly PodSandboxStatus[];
  readonly containers: readonly ContainerStatus[];
}

const STATE: Record<ContainerStatus['state'], ObservedState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};

/** Lists every sandbox and container once and groups them by pod UID. */
export async function listRuntimePods(runtime: RuntimeService): Promise<Map<string, RuntimePod>> {
  const sandboxes = await runtime.listPodSandbox();
  const containers = await runtime.listContainers();
  const bySandbox = new Map<string, ContainerStatus[]>();
  for (const c of containers) {
    const list = bySandbox.get(c.sandboxId) ?? [];
    list.push(c);
    bySandbox.set(c.sandboxId, list);
  }
  const pods = new Map<
    string,
    { uid: string; namespace: string; name: string; s: PodSandboxStatus[]; c: ContainerStatus[] }
  >();
  for (const s of sandboxes) {
    const uid = s.metadata.uid;
    const entry = pods.get(uid) ?? {
      uid,
      namespace: s.metadata.namespace,
      name: s.metadata.name,
      s: [],
      c: [],
    };
    entry.s.push(s);
    entry.c.push(...(bySandbox.get(s.id) ?? []));
    pods.set(uid, entry);
  }
  const out = new Map<string, RuntimePod>();
  for (const [uid, e] of pods) {
    e.s.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    out.set(uid, { uid, namespace: e.namespace, name: e.name, sandboxes: e.s, containers: e.c });
  }
  return out;
}

/**
 * One pod's sandboxes and containers; cheaper than listRuntimePods for a single pod, since only
 * that pod's containers are inspected (the runtime reads their pid and exit files).
 */
export async function getRuntimePod(runtime: RuntimeService, uid: string): Promise<RuntimePod | undefined> {
  const sandboxes = (await runtime.listPodSandbox({ podUid: uid })).sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
  );
  const [first] = sandboxes;
  if (!first) return undefined;
  const containers: ContainerStatus[] = [];
  for (const s of sandboxes) containers.push(...(await runtime.listContainers({ sandboxId: s.id })));
  return { uid, namespace: first.metadata.namespace, name: first.metadata.name, sandboxes, containers };
}

/** The runtime's view of one pod as the decision modules want it. */
export function toObservedPod(pod: RuntimePod | undefined): ObservedPod {
  if (!pod) return { containers: [] };
  const [newest] = pod.sandboxes;
  return {
    ...(newest && {
      sandbox: {
        id: newest.id,
        ready: newest.state === 'SANDBOX_READY',
        attempt: newest.metadata.attempt,
        ips: newest.ip ? [newest.ip] : [],
      },
    }),
    containers: pod.containers.map(toObservedContainer),
  };
}

function toObservedContainer(c: ContainerStatus): ObservedContainer {
  let message = c.message ?? '';
  if (c.state === 'CONTAINER_EXITED') {
    const written = readTerminationMessage(c.annotations, c.exitCode ?? 0, c.logPath);
    if (written) message = message ? `${message}: ${written}` : written;
  }
  return {
    name: c.metadata.name,
    id: c.id,
    state: STATE[c.state],
    createdAt: c.createdAt,
    ...(c.startedAt && { startedAt: c.startedAt }),
    ...(c.finishedAt && { finishedAt: c.finishedAt }),
    ...(c.exitCode !== undefined && { exitCode: c.exitCode }),
    ...(c.reason && { reason: c.reason }),
    ...(message && { message }),
    image: c.image,
    imageRef: c.annotations[IMAGE_REF_ANNOTATION] ?? c.image,
    restartCount: c.metadata.attempt,
    ...(c.specHash && { specHash: c.specHash }),
  };
}

/** Annotation the kubelet writes on each container: the catalog pattern the image resolved to. */
export const IMAGE_REF_ANNOTATION = 'podbay.io/image-ref';
/** Annotation: the container is an init container (so GC and termination can tell). */
export const CONTAINER_TYPE_LABEL = 'io.kubernetes.container.type';
