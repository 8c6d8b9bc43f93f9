/**
 * The pod lifecycle event generator (pkg/kubelet/pleg/generic.go): every relist period (1 s) it
 * lists the runtime once, compares each pod's sandboxes and containers with the previous listing,
 * and wakes only the workers of pods where something changed (a container started, exited, was
 * removed; a sandbox died). Upstream's point, and ours: the cost per period is one listing, not
 * one sync per pod; a full resync of every pod happens only every syncFrequency (kubelet's 1 min).
 */
import type { RuntimeService } from '../runtime/types.js';
import { listRuntimePods, type RuntimePod } from './runtime-view.js';

export interface PlegOptions {
  readonly runtime: RuntimeService;
  /** A pod's runtime state changed (or the pod disappeared from the runtime). */
  readonly onPodChanged: (uid: string) => void;
  readonly log: (msg: string, fields?: Record<string, unknown>) => void;
}

export class GenericPleg {
  #last = new Map<string, string>();
  #relisting = false;
  /** A relist was asked for while one ran: run once more when it ends (an exit event must not be lost). */
  #again = false;

  constructor(private readonly o: PlegOptions) {}

  /** Seeds the previous listing (after re-adoption synced every pod anyway). */
  seed(pods: ReadonlyMap<string, RuntimePod>): void {
    this.#last = new Map([...pods].map(([uid, p]) => [uid, fingerprint(p)]));
  }

  /** One relist; a call while one runs makes it run once more after (listings never overlap). */
  async relist(): Promise<void> {
    if (this.#relisting) {
      this.#again = true;
      return;
    }
    this.#relisting = true;
    try {
      const pods = await listRuntimePods(this.o.runtime);
      const next = new Map<string, string>();
      for (const [uid, pod] of pods) {
        const print = fingerprint(pod);
        next.set(uid, print);
        if (this.#last.get(uid) !== print) this.o.onPodChanged(uid);
      }
      for (const uid of this.#last.keys()) if (!next.has(uid)) this.o.onPodChanged(uid);
      this.#last = next;
    } catch (err) {
      this.o.log('kubelet: relist failed', { error: String(err) });
    } finally {
      this.#relisting = false;
    }
    if (this.#again) {
      this.#again = false;
      await this.relist();
    }
  }
}

/** What a sync would react to: each sandbox's and container's identity and state. */
function fingerprint(pod: RuntimePod): string {
  const parts: string[] = [];
  for (const s of pod.sandboxes) parts.push(`s:${s.id}:${s.state}`);
  for (const c of pod.containers) parts.push(`c:${c.id}:${c.state}:${c.exitCode ?? ''}:${c.reason ?? ''}`);
  return parts.sort().join('|');
}
