/**
 * A PodStreamingBackend for tests: the part of the kubelet the streaming handlers need, over a
 * real PodbayRuntime. The test starts sandboxes and containers itself and records here which
 * runtime containers are which pod's attempts; the next session's kubelet replaces this.
 */

import type { Duplex } from 'node:stream';
import type { Pod } from 'kubernetes-types/core/v1';
import type { RuntimeService } from '../../../../runtime/types.js';
import type { RunningContainerRef } from '../../../metrics/cgroup-source.js';
import type { ContainerAttempt, ContainerResolution, PodStreamingBackend } from '../backend.js';

interface PodEntry {
  sandboxId: string;
  /** Runtime container ids per container name, oldest attempt first. */
  attempts: Map<string, string[]>;
}

export class RuntimeTestBackend implements PodStreamingBackend {
  readonly #pods = new Map<string, PodEntry>();
  constructor(private readonly rt: RuntimeService) {}

  addSandbox(podUid: string, sandboxId: string): void {
    this.#pods.set(podUid, { sandboxId, attempts: new Map() });
  }

  addAttempt(podUid: string, container: string, containerId: string): void {
    const entry = this.#pods.get(podUid);
    if (!entry) throw new Error(`no sandbox recorded for pod ${podUid}`);
    entry.attempts.set(container, [...(entry.attempts.get(container) ?? []), containerId]);
  }

  async #attempt(id: string): Promise<ContainerAttempt> {
    const { logPath } = await this.rt.containerStatus(id);
    return {
      logPath,
      running: async () =>
        (await this.rt.containerStatus(id).catch(() => undefined))?.state === 'CONTAINER_RUNNING',
    };
  }

  async resolve(pod: Pod, container: string): Promise<ContainerResolution | undefined> {
    const entry = this.#pods.get(pod.metadata?.uid ?? '');
    if (!entry) return undefined;
    const ids = entry.attempts.get(container) ?? [];
    const previousId = ids.length >= 2 ? ids[ids.length - 2] : undefined;
    const previous = previousId ? await this.#attempt(previousId) : undefined;
    const currentId = ids[ids.length - 1];
    if (!currentId)
      return { kind: 'waiting', reason: 'ContainerCreating', ...(previous ? { previous } : {}) };
    return {
      kind: 'container',
      current: await this.#attempt(currentId),
      ...(previous ? { previous } : {}),
      exec: (options) => this.rt.exec(currentId, options),
    };
  }

  async portForward(pod: Pod, port: number): Promise<Duplex> {
    const entry = this.#pods.get(pod.metadata?.uid ?? '');
    if (!entry) throw new Error(`pod ${pod.metadata?.name} has no sandbox on this node`);
    return this.rt.portForward(entry.sandboxId, port);
  }

  /** For CgroupPodMetricsSource: the running attempt of each container. */
  async containersOf(pod: Pod): Promise<RunningContainerRef[]> {
    const entry = this.#pods.get(pod.metadata?.uid ?? '');
    if (!entry) return [];
    const out: RunningContainerRef[] = [];
    for (const [name, ids] of entry.attempts) {
      const id = ids[ids.length - 1];
      if (id && (await this.rt.containerStatus(id)).state === 'CONTAINER_RUNNING') out.push({ name, id });
    }
    return out;
  }
}
