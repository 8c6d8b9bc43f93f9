/**
 * The kubelet's answers for the API's streaming subresources and metrics
 * (src/api/http/streaming/backend.ts PodStreamingBackend; src/api/metrics CgroupMetricsDeps):
 * which runtime container serves a pod's container now, which attempt came before it, where
 * their CRI log files are, and the pod's sandbox for port-forward. Read from the runtime's own
 * records on every call, so it is right across restarts of the engine.
 */
import type { Duplex } from 'node:stream';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ContainerResolution, PodStreamingBackend } from '../api/http/streaming/backend.js';
import type { RunningContainerRef } from '../api/metrics/cgroup-source.js';
import type { ContainerStatus, RuntimeService } from '../runtime/types.js';
import { getRuntimePod, type RuntimePod } from './runtime-view.js';

export class KubeletStreamingBackend implements PodStreamingBackend {
  constructor(private readonly runtime: RuntimeService) {}

  async #runtimePod(pod: Pod): Promise<RuntimePod | undefined> {
    return getRuntimePod(this.runtime, pod.metadata?.uid ?? '');
  }

  async resolve(pod: Pod, container: string): Promise<ContainerResolution | undefined> {
    const rp = await this.#runtimePod(pod);
    if (!rp || rp.sandboxes.length === 0) return undefined;
    const [current, previous] = rp.containers
      .filter((c) => c.metadata.name === container)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    const attempt = (c: ContainerStatus) => ({
      logPath: c.logPath,
      running: async () => {
        const s = await this.runtime.containerStatus(c.id).catch(() => undefined);
        return s?.state === 'CONTAINER_RUNNING';
      },
    });
    if (!current) {
      const statuses = [
        ...(pod.status?.containerStatuses ?? []),
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.ephemeralContainerStatuses ?? []),
      ];
      const reason =
        statuses.find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
      return { kind: 'waiting', reason };
    }
    return {
      kind: 'container',
      current: attempt(current),
      ...(previous && { previous: attempt(previous) }),
      exec: (options) => this.runtime.exec(current.id, options),
      // The container's monitor owns its stdin and terminal (runtime/attach.ts), so an attach
      // made after an engine restart reaches the same stdin as the one before it.
      attach: (options) => this.runtime.attach(current.id, options),
    };
  }

  async portForward(pod: Pod, port: number): Promise<Duplex> {
    const rp = await this.#runtimePod(pod);
    const sandbox = rp?.sandboxes.find((s) => s.state === 'SANDBOX_READY');
    if (!sandbox) throw new Error(`pod ${pod.metadata?.name} has no running sandbox on this node`);
    return this.runtime.portForward(sandbox.id, port);
  }

  /** The pod's running containers, for the metrics API (`kubectl top`). */
  async containersOf(pod: Pod): Promise<RunningContainerRef[]> {
    const rp = await this.#runtimePod(pod);
    return (rp?.containers ?? [])
      .filter((c) => c.state === 'CONTAINER_RUNNING')
      .map((c) => ({ name: c.metadata.name, id: c.id }));
  }
}
