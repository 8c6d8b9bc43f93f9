/**
 * The status manager (pkg/kubelet/status/status_manager.go): the source of truth for the status
 * of every pod this kubelet runs, and the only writer of pod.status.
 *
 *  - setPodStatus stores the generated status under a per-pod version that only grows;
 *  - one flush loop (a one-slot signal: "an update is already pending") writes every pod whose
 *    newest version was not yet sent, and never sends an older version than the last one sent;
 *  - a periodic reconcile (every syncPeriodMs) rewrites pods whose API status drifted;
 *  - the API may reject a status write (the pod was deleted or changed UID): it is dropped, as
 *    upstream drops updates for pods that no longer exist.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types.js';
import type { ObjectClient } from '../controllers/client.js';

interface Entry {
  readonly namespace: string;
  readonly name: string;
  status: PodStatus;
  version: number;
  sentVersion: number;
}

export interface StatusManagerDeps {
  readonly client: ObjectClient;
  readonly log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Full reconcile period (upstream's 10 s). */
  readonly syncPeriodMs?: number;
}

export class StatusManager {
  readonly #entries = new Map<string, Entry>();
  #flushScheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(private readonly deps: StatusManagerDeps) {}

  start(): void {
    this.#timer = setInterval(() => this.#reconcile(), this.deps.syncPeriodMs ?? 10_000);
    this.#timer.unref();
  }

  /** Safe to call twice. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
  }

  /** The newest status for the pod uid (what probe workers and status generation read). */
  getPodStatus(uid: string): PodStatus | undefined {
    return this.#entries.get(uid)?.status;
  }

  /** Seeds the cache from the API (after a restart), without scheduling a write. */
  seed(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    if (!uid || this.#entries.has(uid) || !pod.status) return;
    this.#entries.set(uid, {
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      status: structuredClone(pod.status),
      version: 0,
      sentVersion: 0,
    });
  }

  /** Stores a new status; written asynchronously when it differs from what was stored. */
  setPodStatus(pod: Pod, status: PodStatus): void {
    const uid = pod.metadata?.uid ?? '';
    const entry = this.#entries.get(uid);
    if (entry && sameStatus(entry.status, status)) return;
    this.#entries.set(uid, {
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      status: structuredClone(status),
      version: (entry?.version ?? 0) + 1,
      sentVersion: entry?.sentVersion ?? 0,
    });
    this.#scheduleFlush();
  }

  /** Forget a pod that is gone (its worker finished). */
  removePod(uid: string): void {
    this.#entries.delete(uid);
  }

  /** Writes every pending status now (used by tests and before the pod object is deleted). */
  flush(): void {
    for (const [uid, entry] of this.#entries) {
      if (entry.version > entry.sentVersion) this.#write(uid, entry);
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#stopped) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.flush();
    });
  }

  #write(uid: string, entry: Entry): void {
    const version = entry.version;
    const pod = this.deps.client.get<Pod & KubeObject>('pods', entry.namespace, entry.name);
    if (!pod || pod.metadata.uid !== uid) {
      entry.sentVersion = version; // the pod is gone or replaced: nothing to write to
      return;
    }
    try {
      if (!sameStatus(pod.status ?? {}, entry.status)) {
        this.deps.client.updateStatus('pods', { ...pod, status: entry.status });
      }
      entry.sentVersion = Math.max(entry.sentVersion, version);
    } catch (err) {
      // Left pending: the next flush or reconcile retries with the newest version.
      this.deps.log('kubelet: status update failed', {
        pod: `${entry.namespace}/${entry.name}`,
        error: String(err),
      });
      setTimeout(() => this.#scheduleFlush(), 200).unref();
    }
  }

  /** needsReconcile: the API's status differs from ours (someone else wrote it, or a write was lost). */
  #reconcile(): void {
    for (const [uid, entry] of this.#entries) {
      const pod = this.deps.client.get<Pod & KubeObject>('pods', entry.namespace, entry.name);
      if (pod && pod.metadata.uid === uid && !sameStatus(pod.status ?? {}, entry.status))
        this.#write(uid, entry);
    }
  }
}

/** Deep equality that ignores key order (the API may store keys in another order). */
function sameStatus(a: PodStatus, b: PodStatus): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  );
}
