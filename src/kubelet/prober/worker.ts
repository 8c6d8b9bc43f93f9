/**
 * One probe worker per (pod, container, probe type) (prober/worker.go). It probes every
 * periodSeconds and writes a result only after successThreshold/failureThreshold consecutive
 * equal outcomes:
 *
 *   new container id ──► initial result (readiness Failure, liveness Success, startup none)
 *   not running ────────► Failure; stop for good if it will not be restarted
 *   before initialDelaySeconds ──► skip
 *   startup not passed ─► only the startup worker probes; once started the startup worker idles
 *   liveness/startup Failure written ──► on hold until a new container id appears
 *   pod being deleted ──► liveness/startup report Success and stop (no kill during shutdown)
 *
 * Probe errors (bad port, runtime gone) are retried up to 3 times, reported as
 * "<Type> probe errored and resulted in unknown state: ..." and thrown away.
 */
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1';
import { type LongTimeout, setLongTimeout } from '../../util/long-timeout.js';
import type { ExecRunner } from './exec-probe.js';
import {
  PROBE_EVENT_NAME,
  type ProbeRunResult,
  type ProbeType,
  type ResolvedProbe,
  resolveProbe,
} from './probe-spec.js';
import type { ProbeResult, ResultsManager } from './results.js';
import { ProbeError, runProbe } from './run-probe.js';

const MAX_PROBE_RETRIES = 3;

export interface ProbeWorkerDeps {
  readonly results: ResultsManager;
  /** The status manager's latest status for this pod (undefined before the first sync). */
  readonly podStatus: () => PodStatus | undefined;
  readonly exec: ExecRunner;
  /** Warning events on the pod: Unhealthy, ProbeWarning. */
  readonly recordEvent: (reason: string, message: string) => void;
  readonly now: () => number;
  /** Milliseconds per probe "second"; tests shrink it. Default 1000. */
  readonly secondMs?: number;
  /** Runs one probe; defaults to runProbe (tests may not replace real handlers, only observe). */
  readonly run?: typeof runProbe;
}

export class ProbeWorker {
  readonly spec: ResolvedProbe;
  #containerId = '';
  #onHold = false;
  #lastResult: ProbeResult | undefined;
  #resultRun = 0;
  #timer: LongTimeout | undefined;
  #stopped = false;
  #running: Promise<void> = Promise.resolve();

  constructor(
    readonly pod: Pod,
    readonly container: Container,
    readonly type: ProbeType,
    readonly isInit: boolean,
    private readonly deps: ProbeWorkerDeps,
  ) {
    const probe =
      type === 'liveness'
        ? container.livenessProbe
        : type === 'readiness'
          ? container.readinessProbe
          : container.startupProbe;
    if (!probe) throw new ProbeError(`container ${container.name} has no ${type} probe`);
    this.spec = resolveProbe(probe);
  }

  get #secondMs(): number {
    return this.deps.secondMs ?? 1000;
  }

  /** Starts the loop: probe now, then every periodSeconds. */
  start(): void {
    const tick = () => {
      if (this.#stopped) return;
      this.#running = this.doProbe().then((keepGoing) => {
        if (!keepGoing) this.stop();
        else if (!this.#stopped) this.#timer = setLongTimeout(tick, this.spec.periodSeconds * this.#secondMs);
      });
    };
    tick();
  }

  /** Stops probing and forgets this container's result. Safe to call twice; resolves when idle. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.clear();
    await this.#running;
    if (this.#containerId) this.deps.results.remove(this.#containerId);
  }

  /** One iteration; returns false when the worker should end. Exposed for deterministic tests. */
  async doProbe(): Promise<boolean> {
    const status = this.deps.podStatus();
    if (!status) return true;
    if (status.phase === 'Failed' || status.phase === 'Succeeded') return false;
    const statuses = this.isInit ? status.initContainerStatuses : status.containerStatuses;
    const c = statuses?.find((s) => s.name === this.container.name);
    if (!c?.containerID) return true;
    const uid = this.pod.metadata?.uid ?? '';
    const id = c.containerID.replace(/^[a-z]+:\/\//, '');
    if (id !== this.#containerId) {
      if (this.#containerId) this.deps.results.remove(this.#containerId);
      this.#containerId = id;
      const initial =
        this.type === 'readiness' ? 'Failure' : this.type === 'liveness' ? 'Success' : undefined;
      if (initial) this.deps.results.set(id, initial, uid);
      this.#onHold = false;
      this.#lastResult = undefined;
      this.#resultRun = 0;
    }
    if (this.#onHold) return true;
    if (!c.state?.running) {
      this.deps.results.set(id, 'Failure', uid);
      return !c.state?.terminated || this.pod.spec?.restartPolicy !== 'Never';
    }
    if (this.pod.metadata?.deletionTimestamp && this.type !== 'readiness') {
      this.deps.results.set(id, 'Success', uid);
      return false;
    }
    const startedAt = Date.parse(c.state.running.startedAt ?? '');
    if (
      Number.isFinite(startedAt) &&
      Math.trunc((this.deps.now() - startedAt) / this.#secondMs) < this.spec.initialDelaySeconds
    ) {
      return true;
    }
    if (c.started === true ? this.type === 'startup' : this.type !== 'startup') return true;

    const outcome = await this.#probeWithRetries(status, id);
    if (outcome === undefined || this.#stopped) return true;
    const result: ProbeResult = outcome === 'Failure' ? 'Failure' : 'Success';
    if (this.#lastResult === result) this.#resultRun++;
    else {
      this.#lastResult = result;
      this.#resultRun = 1;
    }
    const threshold = result === 'Failure' ? this.spec.failureThreshold : this.spec.successThreshold;
    if (this.#resultRun < threshold) return true;
    this.deps.results.set(id, result, uid);
    if (this.type !== 'readiness' && result === 'Failure') {
      // The container will be killed; probing it while it stops only causes trouble.
      this.#onHold = true;
      this.#resultRun = 0;
    }
    return true;
  }

  async #probeWithRetries(
    status: PodStatus,
    containerId: string,
  ): Promise<ProbeRunResult['outcome'] | undefined> {
    const run = this.deps.run ?? runProbe;
    const name = PROBE_EVENT_NAME[this.type];
    let lastError: unknown;
    for (let attempt = 0; attempt < MAX_PROBE_RETRIES; attempt++) {
      try {
        const result = await run(
          this.spec.probe,
          { container: this.container, containerId, podIP: status.podIP ?? '', exec: this.deps.exec },
          this.spec.timeoutSeconds * this.#secondMs,
        );
        if (result.outcome === 'Failure')
          this.deps.recordEvent('Unhealthy', `${name} probe failed: ${result.output}`);
        if (result.outcome === 'Warning')
          this.deps.recordEvent('ProbeWarning', `${name} probe warning: ${result.output}`);
        return result.outcome;
      } catch (err) {
        lastError = err;
      }
    }
    const message = lastError instanceof Error ? lastError.message : String(lastError);
    this.deps.recordEvent('Unhealthy', `${name} probe errored and resulted in unknown state: ${message}`);
    return undefined;
  }
}
