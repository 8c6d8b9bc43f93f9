/**
 * Read-your-writes for one client. After the client's write, its reads go to the master until a replica
 * has shown (in a topology check round that started after the write completed) an offset at least the
 * master's, or until the window passes. Reads issued while a write is still in flight always go to the
 * master, which orders them after the write on the same connection.
 */
import type { TopologyMonitor } from '../topology/monitor.js';

export class ReadYourWrites {
  private writesInFlight = 0;
  private mustReachRound = 0;
  private until = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly windowMs: number,
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
    this.mustReachRound = this.topology.nextRound;
    this.until = Date.now() + this.windowMs;
    this.topology.requestRoundSoon();
  }

  /**
   * The check round a replica must have reached to serve this client's next read: 0 for any replica,
   * +Infinity for the master only. With no master known, any replica (its data beats an error).
   */
  requiredRound(): number {
    if (this.topology.currentMaster === null) return 0;
    if (this.writesInFlight > 0) return Number.POSITIVE_INFINITY;
    if (this.mustReachRound > 0) {
      if (Date.now() < this.until) return this.mustReachRound;
      this.mustReachRound = 0;
    }
    return 0;
  }
}
