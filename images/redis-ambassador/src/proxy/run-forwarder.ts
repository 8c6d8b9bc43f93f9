/**
 * The hot path: forwards plain reads and writes (route kinds read / write / master) in "runs". A run is
 * consecutive commands of one client, contiguous in its input buffer, bound for the same backend
 * connection; it leaves as one slice with one reply slot, and its replies come back as slices too, so a
 * pipeline of N commands costs a few buffer operations rather than N of each. Reads of one parse pass go
 * to one replica (picked per pass), which keeps a client's pipeline in one run.
 *
 * Contract: the session calls `add` per parsed command, `flush` before anything that is not added (so
 * reply slots stay in request order) and at the end of each parse pass, then `endPass`.
 */
import type { BackendConnection } from '../backend/backend-connection.js';
import type { SharedPool } from '../backend/pool.js';
import type { RouteKind } from '../commands/route-kind.js';
import { replyErrors } from '../errors.js';
import type { BackendNode } from '../topology/backend-node.js';
import type { TopologyMonitor } from '../topology/monitor.js';
import { ANY_REPLICA, MASTER_ONLY, type ReadYourWrites } from './read-your-writes.js';
import type { ReplyQueue, ReplySlot } from './reply-queue.js';
import type { ReplicaPicker } from './router.js';
import type { SessionState } from './session-state.js';
import { replicaRead } from './waiters.js';

interface Run {
  readonly conn: BackendConnection;
  readonly node: BackendNode;
  readonly sig: string;
  readonly route: 'master' | 'replica';
  /** Kind of the last command added (see `extend`). */
  kind: RouteKind;
  readonly start: number;
  end: number;
  count: number;
  writes: number;
}

export interface RunForwarderDeps {
  readonly pool: SharedPool;
  readonly topology: TopologyMonitor;
  readonly picker: ReplicaPicker;
  readonly ryw: ReadYourWrites;
  readonly queue: ReplyQueue;
}

export class RunForwarder {
  private run: Run | null = null;
  /** The replica chosen for this parse pass (undefined: not chosen yet). */
  private passReplica: BackendNode | null | undefined;
  // The dependencies are copied into fields of this class rather than read through a `deps` object:
  // sessions build theirs with a spread, and the hot path's loads through those objects went megamorphic
  // (V8's IC log: `pool`, `topology`, `ryw` sites); fields of one class keep one shape.
  private readonly pool: SharedPool;
  private readonly topology: TopologyMonitor;
  private readonly picker: ReplicaPicker;
  private readonly ryw: ReadYourWrites;
  private readonly queue: ReplyQueue;

  constructor(deps: RunForwarderDeps) {
    this.pool = deps.pool;
    this.topology = deps.topology;
    this.picker = deps.picker;
    this.ryw = deps.ryw;
    this.queue = deps.queue;
  }

  /** Commands gathered and not yet flushed. */
  get pendingCount(): number {
    return this.run?.count ?? 0;
  }

  /**
   * Adds the command framed at [start, next) to the current run, or starts a new one. Returns false for
   * anything that is not a plain read/write, or when there is no backend for it; the caller then flushes
   * and dispatches the command itself.
   */
  add(kind: RouteKind, start: number, next: number, state: SessionState, sig: string, buf: Buffer): boolean {
    if (kind !== 'read' && kind !== 'write' && kind !== 'master') return false;
    let node: BackendNode | null = this.topology.currentMaster;
    let route: Run['route'] = 'master';
    if (kind === 'read') {
      const replica = this.replicaForRead();
      if (replica) {
        node = replica;
        route = 'replica';
      }
    }
    if (node === null) return false;
    let run = this.run;
    // Same backend, same state, contiguous: the run's connection is the one the pool would give.
    if (run === null || run.node !== node || run.sig !== sig || run.end !== start || run.conn.isClosed) {
      const conn = this.pool.get(node, state, sig);
      if (run === null || run.conn !== conn || run.end !== start) {
        this.flush(buf, state, sig);
        run = { conn, node, sig, route, kind, start, end: start, count: 0, writes: 0 };
        this.run = run;
      }
    }
    run.end = next;
    run.count++;
    run.kind = kind;
    if (kind === 'write' && this.ryw.writeStarted()) run.writes++;
    return true;
  }

  /**
   * The pipeline case, checked before `add`: a command of the same kind as the one just added, right
   * after it. Within one parse pass it goes where that one went (the master and the pass's replica do not
   * change while the pass runs, and no write came in between to change where reads may go), so the run
   * just grows. Returns false when `add` must decide.
   */
  extend(kind: RouteKind, start: number, next: number): boolean {
    const run = this.run;
    if (run === null || run.kind !== kind || run.end !== start) return false;
    run.end = next;
    run.count++;
    if (kind === 'write' && this.ryw.writeStarted()) run.writes++;
    return true;
  }

  /** Sends the gathered run; `buf` is the buffer its offsets refer to. */
  flush(buf: Buffer, state: SessionState, sig: string): void {
    const run = this.run;
    if (run === null) return;
    this.run = null;
    const slot = this.queue.add(run.count);
    slot.backend = run.node.id;
    slot.route = run.route;
    // Unpipelined clients send one command per read: the run is then the whole buffer, no view needed.
    const raw = run.start === 0 && run.end === buf.length ? buf : buf.subarray(run.start, run.end);
    if (run.route === 'replica') {
      const retry = (): void => this.sendToMaster(raw, slot, state, sig);
      run.conn.send(raw, replicaRead(slot, run.node, retry), false, run.count);
    } else {
      if (run.writes > 0) {
        slot.writes = run.writes;
        slot.writesListener = this.ryw;
      }
      run.conn.send(raw, slot, false, run.count);
    }
  }

  endPass(): void {
    this.passReplica = undefined;
  }

  /** Sends `raw` (all of `slot`'s commands) to the master on the shared connection for `state`. */
  sendToMaster(raw: Buffer, slot: ReplySlot, state: SessionState, sig: string): void {
    const master = this.topology.currentMaster;
    if (!master) {
      slot.onError(replyErrors.noMaster(this.topology.masterProblem), slot.count);
      return;
    }
    slot.backend = master.id;
    slot.route = 'master';
    this.pool.get(master, state, sig).send(raw, slot, false, slot.count);
  }

  /** The replica for a read now, or null for the master (read-your-writes, or no replica qualifies). */
  replicaForRead(): BackendNode | null {
    const topology = this.topology;
    const minOffset = this.ryw.requiredOffset();
    if (minOffset === MASTER_ONLY) return null;
    if (minOffset !== ANY_REPLICA) return this.picker.pick(topology.readableReplicas(), minOffset);
    if (this.passReplica === undefined) this.passReplica = this.picker.pick(topology.readableReplicas(), 0);
    return this.passReplica;
  }
}
