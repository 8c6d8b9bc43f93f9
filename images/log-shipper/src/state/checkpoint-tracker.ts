/**
 * Moves checkpoints forward in batch order once every output holds a batch safely (delivered, or
 * written to its disk buffer). Batches can become safe out of order across outputs; offsets only
 * advance over the longest prefix of safe batches, so a restart never skips an unshipped line.
 *
 *   batch seq:   1   2   3   4
 *   safe in:     A,B A   A,B A,B     → checkpoint = positions of batch 1 (2 still waits for B)
 */
import type { Fingerprint } from '../input/identity.js';
import type { CheckpointStore } from './checkpoint-store.js';

export interface TrackedBatch {
  readonly seq: number;
  /** Tailer id → offset just past the batch's last line from that file. */
  readonly positions: ReadonlyMap<string, number>;
  /** Tailer id → new fingerprint, applied before the positions. */
  readonly identities: ReadonlyMap<string, Fingerprint>;
  /** Read time of the batch's first line, for the lag metric. */
  readonly openedAt: number;
  /** The batch's records; handed to `onAllSafe` once no output needs them any more. */
  readonly body?: Buffer;
}

interface PendingBatch extends TrackedBatch {
  remaining: number;
}

export class CheckpointTracker {
  readonly #store: CheckpointStore;
  readonly #pending: PendingBatch[] = [];
  readonly #onAllSafe: ((batch: TrackedBatch) => void) | undefined;

  /** `onAllSafe`: a batch is safe in every output (sent or on disk), in whatever order that happens. */
  constructor(store: CheckpointStore, onAllSafe?: (batch: TrackedBatch) => void) {
    this.#store = store;
    this.#onAllSafe = onAllSafe;
  }

  /** Called once per batch, in seq order, before any output sees it. */
  register(batch: TrackedBatch, outputs: number): void {
    this.#pending.push({ ...batch, remaining: outputs });
  }

  /** Read time of the oldest batch not yet safe everywhere, or null. */
  oldestOpenedAt(): number | null {
    return this.#pending[0]?.openedAt ?? null;
  }

  /** An output holds batch `seq` safely. Commits and persists whatever prefix is now complete. */
  safe(seq: number): void {
    const p = this.#pending.find((b) => b.seq === seq);
    if (!p) return;
    p.remaining -= 1;
    if (p.remaining === 0) this.#onAllSafe?.(p);
    let advanced = false;
    while (this.#pending.length > 0 && this.#pending[0]!.remaining <= 0) {
      const done = this.#pending.shift()!;
      for (const [id, fingerprint] of done.identities) this.#store.update(id, { fingerprint });
      for (const [id, offset] of done.positions) this.#store.advance(id, offset);
      advanced = true;
    }
    if (advanced) this.#store.flush();
  }

  /** Batches registered but not yet safe everywhere. */
  get inFlight(): number {
    return this.#pending.length;
  }
}
