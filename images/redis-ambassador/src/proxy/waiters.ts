/**
 * Reply waiters that sit between a backend connection and a client's ReplySlot and add one behaviour
 * each: read-your-writes bookkeeping, and retrying failed replica reads on the master.
 */
import type { ReplyWaiter } from '../backend/backend-connection.js';
import type { BackendNode } from '../topology/backend-node.js';
import type { ReplySlot } from './reply-queue.js';

/** Replica error replies after which a single read is retried on the master. */
const RETRY_ON_MASTER = /^-(LOADING|NOSCRIPT|MASTERDOWN|READONLY|ERR ambassador)/;

/** Calls `done` once when the request completes (for read-your-writes), then forwards to `slot`. */
export function onCompletion(slot: ReplySlot, done: () => void): ReplyWaiter {
  return {
    onReply: (replies, errors, last) => {
      if (last) done();
      slot.onReply(replies, errors, last);
    },
    onError: (text, owed) => {
      done();
      slot.onError(text, owed);
    },
  };
}

/**
 * A read sent to `replica`. Reads are idempotent, so if the replica connection fails before any reply
 * arrived, or a single read gets LOADING/NOSCRIPT/MASTERDOWN, `retryOnMaster` re-sends it to the master.
 */
export function replicaRead(slot: ReplySlot, replica: BackendNode, retryOnMaster: () => void): ReplyWaiter {
  replica.readsInFlight++;
  let settled = false;
  const settle = (): void => {
    if (!settled) {
      settled = true;
      replica.readsInFlight--;
    }
  };
  return {
    onReply: (replies, errors, last) => {
      if (last) settle();
      if (
        last &&
        !slot.started &&
        slot.count === 1 &&
        errors === 1 &&
        RETRY_ON_MASTER.test(replies.toString('latin1', 0, 40))
      ) {
        retryOnMaster();
        return;
      }
      slot.onReply(replies, errors, last);
    },
    onError: (text, owed) => {
      settle();
      if (!slot.started) retryOnMaster();
      else slot.onError(text, owed);
    },
  };
}
