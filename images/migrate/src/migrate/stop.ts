// How a running migration reacts to signals. golang-migrate only handles SIGINT ("Stopping after this
// running migration ...", exit 0) and dies on SIGTERM wherever it is, which is how an init container
// being restarted ends up dirty (golang-migrate #325). Here:
//   SIGINT  -> finish the running migration, run no more (golang-migrate's behaviour, exit 0);
//   SIGTERM -> if the running migration is transactional, cancel it server-side (it rolls back whole,
//              with its version row) and exit 143 at once; if it is a plain (non-transactional) one,
//              let it finish so the database is not left half-applied, then exit 143.
import type { Protocol } from '../database/run-migration.js';

export type StopKind = 'none' | 'graceful' | 'terminate';

export class StopController {
  #kind: StopKind = 'none';
  #protocol: Protocol | undefined;
  #cancelRunning: (() => Promise<void>) | undefined;
  readonly #abort = new AbortController();

  /** Aborted on SIGTERM: connection waits and retries listen to it. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get kind(): StopKind {
    return this.#kind;
  }

  get requested(): boolean {
    return this.#kind !== 'none';
  }

  /** Only the runner calls this, around each step; `cancel` aborts the step's running statement. */
  running(protocol: Protocol | undefined, cancel?: () => Promise<void>): void {
    this.#protocol = protocol;
    this.#cancelRunning = cancel;
  }

  /** Safe to call repeatedly; a SIGTERM upgrades an earlier SIGINT. */
  request(kind: Exclude<StopKind, 'none'>): void {
    if (kind === 'graceful' && this.#kind !== 'none') return;
    this.#kind = kind;
    if (kind === 'terminate') {
      this.#abort.abort();
      if (this.#protocol === 'transactional' && this.#cancelRunning)
        void this.#cancelRunning().catch(() => {});
    }
  }
}
