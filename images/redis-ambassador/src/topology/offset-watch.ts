/**
 * Replication offsets for read-your-writes, measured on demand rather than once per health round.
 *
 * After a client's write completes, `afterWrite()` hands it a MasterSample: the master's replication
 * offset read with ROLE on the master's health connection, sent after the write's reply arrived, so it
 * covers the write. The ROLE is sent when a client holding the sample first wants to read (`wanted()`),
 * or at the latest `SETTLE_MS` after the sample was opened, so a client that reads again after a pause
 * finds its sample resolved and can read from a replica at once; a write-only workload costs one master
 * ROLE per SETTLE_MS, not one per write. A replica may then serve that
 * client's reads once its processed offset (ROLE on a replica) is at least the sample. While some client
 * waits for that (a resolved sample above some readable replica's offset, within the read-your-writes
 * window), the replicas are re-read every `readYourWritesPollMs`; with nobody waiting, nothing is polled.
 *
 * Costs are bounded whatever the write rate: at most one master ROLE in flight and at most one per
 * `readYourWritesPollMs` (writes that complete meanwhile share the next one), and at most one ROLE per
 * replica per poll. A write after a quiet spell is sampled at once.
 *
 * Contract: this module and the monitor's health rounds are the only writers of `BackendNode.offset`.
 * Both use the same per-node health connection, whose replies arrive in order, so the last write wins
 * and a replica's offset never goes back because of a stale reply.
 */
import type { BackendConnection } from '../backend/backend-connection.js';
import { request } from '../backend/request.js';
import type { BackendNode } from './backend-node.js';
import { parseRole } from './role-reply.js';

/** The master offset that covers a write: -1 until ROLE answered, +Infinity if it could not be read. */
export interface MasterSample {
  offset: number;
  /**
   * End of the read-your-writes window for the writes that share this sample (Date.now() based). Set when
   * the sample is created, at most `readYourWritesPollMs` before those writes completed: no clock read
   * per write on the hot path.
   */
  readonly until: number;
}

export interface OffsetWatchDeps {
  readonly pollMs: number;
  readonly windowMs: number;
  readonly master: () => BackendNode | null;
  readonly readableReplicas: () => BackendNode[];
  /** The node's health connection (opened on demand). */
  readonly connection: (node: BackendNode) => BackendConnection;
}

const PENDING = -1;
/** Longest a sample waits unsent when nobody reads (bounds control traffic under constant writes). */
const SETTLE_MS = 20;

export class OffsetWatch {
  /** The sample whose ROLE is on the wire; writes completing now cannot join it. */
  private sending: MasterSample | null = null;
  /** The sample that goes out next; writes completing now join it. */
  private queued: MasterSample | null = null;
  /** A client holding `queued` wants to read: send it (within the rate bound). */
  private queuedWanted = false;
  private lastSentAt = 0;
  private sendTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  /** Highest resolved sample: replicas below it are polled. */
  private target = 0;
  /** Polling stops here: the last write's window has passed, so no client waits any longer. */
  private activeUntil = 0;
  private polling = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: OffsetWatchDeps) {}

  /** Call when a client's write has completed; the sample resolves to an offset covering that write. */
  afterWrite(): MasterSample {
    let sample = this.queued;
    if (sample === null) {
      // Later writes join this sample until it is sent (see `wanted`).
      sample = { offset: PENDING, until: Date.now() + this.deps.windowMs };
      this.queued = sample;
      this.activeUntil = sample.until;
      if (this.settleTimer === undefined && !this.stopped) {
        this.settleTimer = setTimeout(() => {
          this.settleTimer = undefined;
          if (this.queued !== null) this.wanted(this.queued);
        }, SETTLE_MS);
        this.settleTimer.unref();
      }
    }
    return sample;
  }

  /** Call when a client holding an unresolved `sample` wants to read: its ROLE goes out soon. */
  wanted(sample: MasterSample): void {
    if (sample !== this.queued) return; // already on the wire
    this.queuedWanted = true;
    this.sendNext();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.sendTimer);
    clearTimeout(this.settleTimer);
  }

  /** Sends the queued sample now, or arms a timer for when the rate bound allows it. */
  private sendNext(): void {
    if (this.stopped || this.sending !== null || !this.queuedWanted || this.sendTimer !== undefined) return;
    const wait = this.lastSentAt + this.deps.pollMs - Date.now();
    if (wait > 0) {
      this.sendTimer = setTimeout(() => {
        this.sendTimer = undefined;
        this.sendNext();
      }, wait);
      this.sendTimer.unref();
      return;
    }
    const sample = this.queued!;
    this.queued = null;
    this.queuedWanted = false;
    this.lastSentAt = Date.now();
    this.sendSample(sample);
  }

  private sendSample(sample: MasterSample): void {
    this.sending = sample;
    const master = this.deps.master();
    const done = (offset: number): void => {
      sample.offset = offset;
      this.sending = null;
      if (Number.isFinite(offset) && offset > this.target) this.target = offset;
      this.sendNext();
      this.startPolling();
    };
    if (master === null || this.stopped) {
      done(Number.POSITIVE_INFINITY);
      return;
    }
    request(this.deps.connection(master), ['ROLE']).then(
      (reply) => {
        let offset = Number.POSITIVE_INFINITY;
        try {
          const role = parseRole(reply);
          // Not a master any more (failover in progress): no offset can vouch for the write.
          if (role.role === 'master') offset = role.offset;
        } catch {
          // An unreadable reply vouches for nothing either: the window still releases the client.
        }
        done(offset);
      },
      () => done(Number.POSITIVE_INFINITY),
    );
  }

  private someoneWaits(): boolean {
    if (this.stopped || Date.now() >= this.activeUntil) return false;
    if (this.sending !== null) return true;
    return this.deps.readableReplicas().some((r) => r.offset < this.target);
  }

  private startPolling(): void {
    if (this.polling || !this.someoneWaits()) return;
    this.polling = true;
    void this.pollLoop();
  }

  /** One poll at a time; each reads every readable replica's offset, then waits `pollMs`. */
  private async pollLoop(): Promise<void> {
    try {
      while (this.someoneWaits()) {
        const behind = this.deps.readableReplicas().filter((r) => r.offset < this.target);
        await Promise.all(behind.map((r) => this.readReplicaOffset(r)));
        if (!this.someoneWaits()) break;
        await new Promise<void>((resolve) => {
          this.pollTimer = setTimeout(resolve, this.deps.pollMs);
          this.pollTimer.unref();
        });
      }
    } finally {
      this.polling = false;
    }
  }

  private async readReplicaOffset(node: BackendNode): Promise<void> {
    try {
      const role = parseRole(await request(this.deps.connection(node), ['ROLE']));
      // Only a still-linked replica's offset counts; role changes are the health round's business.
      if (role.role === 'replica' && role.linkUp && role.offset > node.offset) node.offset = role.offset;
    } catch {
      // A slow or failed replica simply stays behind; the health round decides whether it is down.
    }
  }
}
