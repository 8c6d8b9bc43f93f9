// How a run reacts to signals. golang-migrate only handles SIGINT ("Stopping after this running
// migration ...", exit 0) and dies on SIGTERM wherever it is, which is how an init container being
// restarted ends up dirty (golang-migrate #325). Here:
//   SIGINT  -> finish the running migration, run no more (golang-migrate's behaviour, exit 0);
//   SIGTERM -> cancel whatever the connection is doing server-side (a lock wait, a transactional
//              migration, which then rolls back whole with its version row) and exit 143 at once;
//              only a plain (non-transactional) migration is left to finish, because cancelling it
//              would leave it half-applied.
import type { Protocol } from '../database/run-migration.js';

export type StopKind = 'none' | 'graceful' | 'terminate';

export class StopController {
  #kind: StopKind = 'none';
  #protocol: Protocol | undefined;
  #cancel: (() => Promise<void>) | undefined;
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

  /** Set once the connection is open: cancels its running statement from a second session. */
  setCanceller(cancel: (() => Promise<void>) | undefined): void {
    this.#cancel = cancel;
  }

  /** Only the runner calls this, around each step. */
  running(protocol: Protocol | undefined): void {
    this.#protocol = protocol;
  }

  /** Safe to call repeatedly; a SIGTERM upgrades an earlier SIGINT. */
  request(kind: Exclude<StopKind, 'none'>): void {
    if (kind === 'graceful' && this.#kind !== 'none') return;
    this.#kind = kind;
    if (kind === 'terminate') {
      this.#abort.abort();
      if (this.#protocol !== 'plain' && this.#cancel) void this.#cancel().catch(() => {});
    }
  }
}
