/**
 * Probe results per container id, one manager per probe type (prober/results). It is the source
 * of truth for probe outcomes: only probe workers write it; status generation and
 * computePodActions read it; listeners hear about a container only when its result changes.
 */
export type ProbeResult = 'Success' | 'Failure';

export interface ResultUpdate {
  readonly containerId: string;
  readonly podUid: string;
  readonly result: ProbeResult;
}

export class ResultsManager {
  readonly #results = new Map<string, ProbeResult>();
  readonly #listeners = new Set<(update: ResultUpdate) => void>();

  get(containerId: string): ProbeResult | undefined {
    return this.#results.get(containerId);
  }

  /** Stores the result; notifies listeners only when it differs from the previous one. */
  set(containerId: string, result: ProbeResult, podUid: string): void {
    if (this.#results.get(containerId) === result) return;
    this.#results.set(containerId, result);
    for (const listener of this.#listeners) listener({ containerId, podUid, result });
  }

  /** Forget a container (it was replaced or its pod is gone). Silent. */
  remove(containerId: string): void {
    this.#results.delete(containerId);
  }

  /** Subscribe to changes; returns the unsubscribe function (safe to call twice). */
  onUpdate(listener: (update: ResultUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
