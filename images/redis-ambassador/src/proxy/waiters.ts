/**
 * Reply waiters that sit between a backend connection and a client's ReplySlot and add one behaviour
 * each: read-your-writes bookkeeping, and retrying failed replica reads on the master. They are small
 * classes rather than object literals of closures: one allocation per forwarded run, not four.
 */
import type { ReplyWaiter } from '../backend/backend-connection.js';
import type { BackendNode } from '../topology/backend-node.js';
import type { ReplySlot } from './reply-queue.js';

/** Replica error replies after which a single read is retried on the master. */
const RETRY_ON_MASTER = /^-(LOADING|NOSCRIPT|MASTERDOWN|READONLY|ERR ambassador)/;

/** Calls `done` once when the request completes (for read-your-writes), then forwards to `slot`. */
class CompletionWaiter implements ReplyWaiter {
  constructor(
    private readonly slot: ReplySlot,
    private readonly done: () => void,
  ) {}

  onReply(replies: Buffer, errors: number, last: boolean): void {
    if (last) this.done();
    this.slot.onReply(replies, errors, last);
  }

  onError(text: string, owed: number): void {
    this.done();
    this.slot.onError(text, owed);
  }
}

export function onCompletion(slot: ReplySlot, done: () => void): ReplyWaiter {
  return new CompletionWaiter(slot, done);
}

/**
 * A read sent to `replica`. Reads are idempotent, so if the replica connection fails before any reply
 * arrived, or a single read gets LOADING/NOSCRIPT/MASTERDOWN, `retryOnMaster` re-sends it to the master.
 */
class ReplicaReadWaiter implements ReplyWaiter {
  private settled = false;

  constructor(
    private readonly slot: ReplySlot,
    private readonly replica: BackendNode,
    private readonly retryOnMaster: () => void,
  ) {
    replica.readsInFlight++;
  }

  onReply(replies: Buffer, errors: number, last: boolean): void {
    const slot = this.slot;
    if (last) {
      this.settle();
      if (
        !slot.started &&
        slot.count === 1 &&
        errors === 1 &&
        RETRY_ON_MASTER.test(replies.toString('latin1', 0, 40))
      ) {
        this.retryOnMaster();
        return;
      }
    }
    slot.onReply(replies, errors, last);
  }

  onError(text: string, owed: number): void {
    this.settle();
    if (!this.slot.started) this.retryOnMaster();
    else this.slot.onError(text, owed);
  }

  private settle(): void {
    if (!this.settled) {
      this.settled = true;
      this.replica.readsInFlight--;
    }
  }
}

export function replicaRead(slot: ReplySlot, replica: BackendNode, retryOnMaster: () => void): ReplyWaiter {
  return new ReplicaReadWaiter(slot, replica, retryOnMaster);
}
