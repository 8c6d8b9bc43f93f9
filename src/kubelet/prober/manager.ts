/**
 * The prober manager (prober_manager.go): starts one worker per probe of each regular container
 * and native sidecar when a pod is added, stops them when it is removed, and answers the
 * questions status generation (ProbeView) and computePodActions (ProbeResultsView) ask.
 * Init containers other than sidecars cannot have probes (API validation), so they get none.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { isRestartableInitContainer } from '../observed.js';
import type { ProbeResultsView } from '../pod-actions.js';
import type { ProbeView } from '../status/probe-view.js';
import type { ExecRunner } from './exec-probe.js';
import type { ProbeType } from './probe-spec.js';
import { ResultsManager, type ResultUpdate } from './results.js';
import { ProbeWorker } from './worker.js';

export interface ProbeManagerDeps {
  readonly exec: ExecRunner;
  /** Latest status the status manager holds for a pod uid. */
  readonly podStatus: (uid: string) => PodStatus | undefined;
  readonly recordEvent: (pod: Pod, containerName: string, reason: string, message: string) => void;
  readonly now: () => number;
  readonly secondMs?: number;
}

const TYPES: readonly ProbeType[] = ['startup', 'readiness', 'liveness'];

export class ProbeManager {
  readonly liveness = new ResultsManager();
  readonly readiness = new ResultsManager();
  readonly startup = new ResultsManager();
  readonly #workers = new Map<string, ProbeWorker[]>();

  constructor(private readonly deps: ProbeManagerDeps) {}

  /** Starts workers for the pod's probes; a pod already added is left alone. */
  addPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    if (this.#workers.has(uid)) return;
    const workers: ProbeWorker[] = [];
    const containers = [
      ...(pod.spec?.initContainers ?? []).filter(isRestartableInitContainer).map((c) => ({ c, init: true })),
      ...(pod.spec?.containers ?? []).map((c) => ({ c, init: false })),
    ];
    for (const { c, init } of containers) {
      for (const type of TYPES) {
        const has =
          type === 'liveness' ? c.livenessProbe : type === 'readiness' ? c.readinessProbe : c.startupProbe;
        if (!has) continue;
        workers.push(
          new ProbeWorker(pod, c, type, init, {
            results: this.#results(type),
            podStatus: () => this.deps.podStatus(uid),
            exec: this.deps.exec,
            recordEvent: (reason, message) => this.deps.recordEvent(pod, c.name, reason, message),
            now: this.deps.now,
            secondMs: this.deps.secondMs,
          }),
        );
      }
    }
    this.#workers.set(uid, workers);
    for (const w of workers) w.start();
  }

  /** Stops the pod's workers and drops their results. Safe to call twice. */
  async removePod(uid: string): Promise<void> {
    const workers = this.#workers.get(uid) ?? [];
    this.#workers.delete(uid);
    await Promise.all(workers.map((w) => w.stop()));
  }

  /** Stops everything (kubelet shutdown). */
  async stop(): Promise<void> {
    await Promise.all([...this.#workers.keys()].map((uid) => this.removePod(uid)));
  }

  /** Readiness/liveness/startup changes, for the pod workers to resync the pod. */
  onUpdate(listener: (type: ProbeType, update: ResultUpdate) => void): () => void {
    const offs = TYPES.map((type) => this.#results(type).onUpdate((u) => listener(type, u)));
    return () => {
      for (const off of offs) off();
    };
  }

  /** What status generation needs. */
  probeView(): ProbeView {
    return { readiness: (id) => this.readiness.get(id), startup: (id) => this.startup.get(id) };
  }

  /** What computePodActions needs. */
  resultsView(): ProbeResultsView {
    return { liveness: (id) => this.liveness.get(id), startup: (id) => this.startup.get(id) };
  }

  #results(type: ProbeType): ResultsManager {
    return type === 'liveness' ? this.liveness : type === 'readiness' ? this.readiness : this.startup;
  }
}
