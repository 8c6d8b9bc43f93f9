/**
 * The pod workers (pkg/kubelet/pod_workers.go): the source of truth for which pods should be
 * running on this node. One worker per pod UID runs one sync at a time; a newer update replaces
 * the pending one (latest wins). Each worker walks the lifecycle state machine
 *
 *   sync ──(terminal phase, deletionTimestamp, or gone from the API)──► terminating ──► terminated
 *
 * calling syncPod, syncTerminatingPod and syncTerminatedPod (pod-sync.ts), each retried with a
 * growing delay until it succeeds. A terminated worker whose pod left the API is forgotten.
 *
 *   update(pod) ─► pending slot ─► loop: step() ─► schedule next (retryAfterMs / relist)
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { type KubeletDeps, newPodMemory, type PodMemory, podEvent } from './kubelet-deps.js';
import { type SyncResult, syncPod, syncTerminatedPod, syncTerminatingPod } from './pod-sync.js';

export type PodWorkerState = 'sync' | 'terminating' | 'terminated';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

interface Worker {
  pod: Pod;
  state: PodWorkerState;
  /** The pod is no longer in the API (deleted, or orphaned after a restart). */
  removedFromApi: boolean;
  /** Grace period for a termination requested without a deletion (pod removed from the API). */
  killGraceSeconds?: number;
  readonly memory: PodMemory;
  pending: boolean;
  running: boolean;
  timer?: NodeJS.Timeout;
  failures: number;
  /** Terminated and done: the worker may be dropped. */
  finished: boolean;
}

export class PodWorkers {
  readonly #workers = new Map<string, Worker>();
  #stopped = false;

  constructor(private readonly deps: KubeletDeps) {}

  /** A new or changed pod from the API (or the periodic resync). */
  updatePod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    let w = this.#workers.get(uid);
    if (!w) {
      w = {
        pod,
        state: 'sync',
        removedFromApi: false,
        memory: newPodMemory(),
        pending: false,
        running: false,
        failures: 0,
        finished: false,
      };
      this.#workers.set(uid, w);
      this.deps.probes.addPod(pod);
    }
    const newlyDeleted = pod.metadata?.deletionTimestamp !== undefined && !w.pod.metadata?.deletionTimestamp;
    w.pod = pod;
    if (pod.metadata?.deletionTimestamp && w.state === 'sync') w.state = 'terminating';
    // A finished pod kept in the API (Succeeded/Failed) is now being deleted: remove all it left.
    if (newlyDeleted && w.finished) w.finished = false;
    this.#schedule(uid, w, 0);
  }

  /** The pod left the API (or is an orphan found in the runtime): kill it and clean up. */
  removePod(pod: Pod, graceSeconds = 1): void {
    const uid = pod.metadata?.uid ?? '';
    let w = this.#workers.get(uid);
    if (!w) {
      w = {
        pod,
        state: 'sync',
        removedFromApi: true,
        memory: newPodMemory(),
        pending: false,
        running: false,
        failures: 0,
        finished: false,
      };
      this.#workers.set(uid, w);
    }
    w.removedFromApi = true;
    if (w.finished && w.pod.metadata?.deletionTimestamp) {
      this.#workers.delete(uid); // already removed everything before deleting the API object
      return;
    }
    if (w.state === 'sync') {
      w.state = 'terminating';
      w.killGraceSeconds = graceSeconds;
    } else if (w.state === 'terminated' && w.finished) {
      w.finished = false; // a finished pod that stayed in the API is now deleted: remove it all
    }
    this.#schedule(uid, w, 0);
  }

  /**
   * Evicts a running pod (the eviction manager's killPodFunc): its containers are killed with
   * grace 0 and its final status is Failed/Evicted with `message`. Ignored unless the pod is
   * still in the sync state.
   */
  evictPod(uid: string, message: string): void {
    const w = this.#workers.get(uid);
    if (w?.state !== 'sync') return;
    w.memory.eviction = { message };
    podEvent(this.deps, w.pod, 'Warning', 'Evicted', message);
    w.state = 'terminating';
    w.killGraceSeconds = 0;
    this.#schedule(uid, w, 0);
  }

  /** Pods whose containers should be running (workers in the sync state). */
  activePods(): Pod[] {
    return [...this.#workers.values()].filter((w) => w.state === 'sync' && !w.finished).map((w) => w.pod);
  }

  /** Asks every live worker to sync (kubelet's relist/resync). */
  resyncAll(): void {
    for (const [uid, w] of this.#workers) if (!w.finished) this.#schedule(uid, w, 0);
  }

  /** Asks one pod's worker to sync now (a probe result changed). */
  syncNow(uid: string): void {
    const w = this.#workers.get(uid);
    if (w && !w.finished) this.#schedule(uid, w, 0);
  }

  /**
   * Pods in `namespace` whose volumes project the named ConfigMap or Secret re-project them on
   * their next sync (now), instead of waiting for the periodic re-projection.
   */
  refreshVolumesUsing(kind: 'configMap' | 'secret', namespace: string, name: string): void {
    for (const [uid, w] of this.#workers) {
      if (w.finished || w.state !== 'sync' || w.pod.metadata?.namespace !== namespace) continue;
      if (!podVolumesUse(w.pod, kind, name)) continue;
      w.memory.volumesSetUpAt = 0;
      this.#schedule(uid, w, 0);
    }
  }

  /** The worker's lifecycle state, for the kubelet and tests ("Intended for the kubelet only"). */
  stateOf(uid: string): PodWorkerState | undefined {
    return this.#workers.get(uid)?.state;
  }

  /** UIDs of pods whose containers may be running. */
  knownUids(): string[] {
    return [...this.#workers.keys()];
  }

  /** Stops scheduling; in-flight syncs finish on their own. Safe to call twice. */
  stop(): void {
    this.#stopped = true;
    for (const w of this.#workers.values()) if (w.timer) clearTimeout(w.timer);
  }

  /** Resolves once no sync runs (for shutdown). */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ([...this.#workers.values()].some((w) => w.running) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  #schedule(uid: string, w: Worker, delayMs: number): void {
    if (this.#stopped) return;
    if (delayMs <= 0) {
      if (w.timer) clearTimeout(w.timer);
      w.timer = undefined;
      w.pending = true;
      if (!w.running) void this.#loop(uid, w);
      return;
    }
    if (w.timer) return; // an earlier wake-up is already due
    w.timer = setTimeout(() => {
      w.timer = undefined;
      this.#schedule(uid, w, 0);
    }, delayMs);
    w.timer.unref();
  }

  async #loop(uid: string, w: Worker): Promise<void> {
    w.running = true;
    try {
      while (w.pending && !this.#stopped) {
        w.pending = false;
        let next: number | undefined;
        try {
          next = await this.#step(uid, w);
          w.failures = 0;
        } catch (err) {
          w.failures++;
          next = Math.min(RETRY_MIN_MS * 2 ** (w.failures - 1), RETRY_MAX_MS);
          this.deps.log('kubelet: pod sync failed, will retry', {
            pod: `${w.pod.metadata?.namespace}/${w.pod.metadata?.name}`,
            state: w.state,
            error: (err as Error).stack ?? String(err),
          });
        }
        if (next !== undefined) this.#schedule(uid, w, next);
      }
    } finally {
      w.running = false;
    }
    if (w.finished && w.removedFromApi) this.#workers.delete(uid);
  }

  /** One step of the state machine; returns when to run again (undefined: on the next update). */
  async #step(uid: string, w: Worker): Promise<number | undefined> {
    if (w.state === 'sync') {
      const result: SyncResult = await syncPod(this.deps, w.pod, w.memory);
      if (!result.terminal) return result.retryAfterMs;
      w.state = 'terminating';
    }
    if (w.state === 'terminating') {
      await syncTerminatingPod(this.deps, w.pod, w.memory, w.killGraceSeconds, !w.removedFromApi);
      w.state = 'terminated';
    }
    if (!w.finished) {
      await syncTerminatedPod(this.deps, w.pod, !w.removedFromApi);
      w.finished = true;
      if (w.removedFromApi) this.#workers.delete(uid);
    }
    return undefined;
  }
}

function podVolumesUse(pod: Pod, kind: 'configMap' | 'secret', name: string): boolean {
  return (pod.spec?.volumes ?? []).some((v) => {
    if (kind === 'configMap' && v.configMap?.name === name) return true;
    if (kind === 'secret' && v.secret?.secretName === name) return true;
    return (v.projected?.sources ?? []).some((src) =>
      kind === 'configMap' ? src.configMap?.name === name : src.secret?.name === name,
    );
  });
}
