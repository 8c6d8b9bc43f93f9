/**
 * The kubelet's eviction manager, reduced to the signal podbay enforces: local storage of
 * emptyDir volumes above their sizeLimit (eviction_manager.go `localStorageEviction`). Every
 * monitoring period (upstream's evictionMonitoringPeriod, 10 s) it measures the active pods'
 * disk-backed emptyDirs and evicts each pod over its limit, with grace period 0 as upstream's
 * local-storage eviction does. Node-pressure signals (memory.available, nodefs.available) are
 * not implemented.
 *
 * Contract: `synchronize` never runs twice at once; `stop` is safe to call twice.
 */
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { emptyDirLimitViolation } from './local-storage.js';

export const EVICTION_MONITORING_PERIOD_MS = 10_000;

export interface EvictionManagerDeps {
  /** `<dataDir>/kubelet/pods`. */
  readonly podsDir: string;
  /** Pods whose containers should be running (the pod workers' sync state). */
  readonly activePods: () => readonly Pod[];
  /** Kills the pod with grace 0 and reports it Failed/Evicted with `message`. */
  readonly evictPod: (pod: Pod, message: string) => void;
  readonly log: (msg: string, fields?: Record<string, unknown>) => void;
  readonly periodMs?: number;
}

export class EvictionManager {
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(private readonly deps: EvictionManagerDeps) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(
      () => void this.synchronize(),
      this.deps.periodMs ?? EVICTION_MONITORING_PERIOD_MS,
    );
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One monitoring pass; returns the pods it evicted. */
  async synchronize(): Promise<Pod[]> {
    if (this.#running) return [];
    this.#running = true;
    const evicted: Pod[] = [];
    try {
      for (const pod of this.deps.activePods()) {
        const uid = pod.metadata?.uid ?? '';
        if (!uid || pod.metadata?.deletionTimestamp) continue;
        try {
          const message = await emptyDirLimitViolation(pod, join(this.deps.podsDir, uid));
          if (message === undefined) continue;
          this.deps.evictPod(pod, message);
          evicted.push(pod);
        } catch (err) {
          this.deps.log('eviction: measuring pod volumes failed', {
            pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`,
            error: (err as Error).message,
          });
        }
      }
    } finally {
      this.#running = false;
    }
    return evicted;
  }
}
