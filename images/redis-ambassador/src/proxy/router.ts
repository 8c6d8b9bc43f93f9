/**
 * Picks the replica for one read. Pure apart from the round-robin cursor it owns.
 *
 * Contract: returns null when no replica may serve this read; the caller then uses the master. A replica
 * qualifies when the topology monitor lists it as readable and, under read-your-writes, when it has
 * processed the client's last write (`offset >= minOffset`; minOffset 0 accepts any replica).
 */
import type { ReadPolicy } from '../config/settings.js';
import type { BackendNode } from '../topology/backend-node.js';

export class ReplicaPicker {
  private cursor = 0;

  constructor(private readonly policy: ReadPolicy) {}

  pick(readable: readonly BackendNode[], minOffset: number): BackendNode | null {
    let best: BackendNode | null = null;
    const n = readable.length;
    if (n === 0) return null;
    if (this.policy === 'round-robin') {
      for (let i = 0; i < n; i++) {
        const candidate = readable[(this.cursor + i) % n]!;
        if (minOffset === 0 || candidate.offset >= minOffset) {
          this.cursor = (this.cursor + i + 1) % n;
          return candidate;
        }
      }
      return null;
    }
    for (const candidate of readable) {
      if (minOffset !== 0 && candidate.offset < minOffset) continue;
      if (best === null || candidate.readsInFlight < best.readsInFlight) best = candidate;
    }
    return best;
  }
}
