/**
 * Read-your-writes for one client. After the client's write completes, its reads go to the master until
 * a replica's processed offset has reached the master's offset read right after the write (per replica:
 * a caught-up replica serves the client even while another lags), or until the window passes. Reads
 * issued while a write is still in flight always go to the master, which orders them after the write on
 * the same connection. The window (`readYourWritesWindowMs`) is carried by the sample (see OffsetWatch).
 */

import type { TopologyMonitor } from '../topology/monitor.js';
import type { MasterSample } from '../topology/offset-watch.js';

/** `requiredOffset()` for "any replica will do". */
export const ANY_REPLICA = 0;
/** `requiredOffset()` for "the master only". */
export const MASTER_ONLY = Number.POSITIVE_INFINITY;

export class ReadYourWrites {
  private writesInFlight = 0;
  /** The offset that covers this client's last completed write; null when no write holds its reads. */
  private sample: MasterSample | null = null;

  constructor(
    private readonly enabled: boolean,
    private readonly topology: TopologyMonitor,
  ) {}

  /** Call when a write is dispatched; false when read-your-writes is off (no completion call needed). */
  writeStarted(count = 1): boolean {
    if (!this.enabled) return false;
    this.writesInFlight += count;
    return true;
  }

  /** Call once when the writes counted by `writeStarted(count)` are answered or failed. */
  writesDone(count: number): void {
    this.writesInFlight -= count;
    this.sample = this.topology.afterWrite();
  }

  /**
   * The replica offset this client's next read needs: ANY_REPLICA, MASTER_ONLY, or an offset a replica
   * must have processed. With no master known, any replica (its data beats an error).
   */
  requiredOffset(): number {
    if (this.sample === null && this.writesInFlight === 0) return ANY_REPLICA;
    if (this.topology.currentMaster === null) return ANY_REPLICA;
    if (this.writesInFlight > 0) return MASTER_ONLY;
    if (this.sample !== null) {
      if (Date.now() < this.sample.until) {
        if (this.sample.offset >= 0) return this.sample.offset;
        this.topology.sampleWanted(this.sample);
        return MASTER_ONLY;
      }
      this.sample = null;
    }
    return ANY_REPLICA;
  }
}
