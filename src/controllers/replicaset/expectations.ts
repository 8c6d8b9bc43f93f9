/**
 * Per-ReplicaSet expectations, as upstream's UIDTrackingControllerExpectations: after the
 * controller creates N pods or deletes some, it does not act on that ReplicaSet again until
 * the watch has shown the results (or 5 minutes pass), so a read that lags the writes cannot
 * make it create or delete twice. Deletions are tracked by pod uid so that a pod seen both
 * going Terminating and then DELETED counts once.
 */
const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Record_ {
  adds: number;
  deletes: Set<string>;
  setAt: number;
}

export class Expectations {
  readonly #records = new Map<string, Record_>();
  constructor(private readonly now: () => number) {}

  /** True when the controller may act on `key`: nothing outstanding, or the record expired. */
  satisfied(key: string): boolean {
    const r = this.#records.get(key);
    if (!r) return true;
    if (r.adds <= 0 && r.deletes.size === 0) return true;
    return this.now() - r.setAt > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.#records.set(key, { adds: n, deletes: new Set(), setAt: this.now() });
  }

  expectDeletions(key: string, uids: readonly string[]): void {
    this.expect(key, 0, uids);
  }

  /** Both at once, as the DaemonSet controller's SetExpectations(key, adds, dels) does. */
  expect(key: string, adds: number, deleteUids: readonly string[]): void {
    this.#records.set(key, { adds, deletes: new Set(deleteUids), setAt: this.now() });
  }

  creationObserved(key: string): void {
    const r = this.#records.get(key);
    if (r) r.adds--;
  }

  deletionObserved(key: string, uid: string): void {
    this.#records.get(key)?.deletes.delete(uid);
  }

  forget(key: string): void {
    this.#records.delete(key);
  }
}
