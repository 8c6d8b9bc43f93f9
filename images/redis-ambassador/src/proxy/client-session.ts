/**
 * One client connection. It parses the client's commands, decides where each goes (through the command
 * table), keeps the client's connection state, and hands replies to its ReplyQueue, which restores
 * request order. It is the only owner of its private master connection.
 *
 * Modes:  normal ──(SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE/MONITOR)──► tunnel ──► closed
 *         normal ──(QUIT, protocol error, socket end)──────────────────► closed
 * In normal mode a "barrier" (a state command in flight, or waiting for the queue to empty before a mode
 * change) stops parsing, so commands after SELECT/AUTH/HELLO/CLIENT SETNAME are routed with the state
 * those commands actually produced.
 */
import type net from 'node:net';
import type { BackendConnection, ReplyWaiter } from '../backend/backend-connection.js';
import type { SharedPool } from '../backend/pool.js';
import type { CommandTable } from '../commands/command-table.js';
import type { RouteKind } from '../commands/route-kind.js';
import type { Config } from '../config/config.js';
import { ProtocolError, replyErrors } from '../errors.js';
import type { Logger } from '../observe/log.js';
import type { Metrics } from '../observe/metrics.js';
import { type ParsedCommand, parseRequest, type RequestLimits } from '../resp/request-parser.js';
import type { BackendNode } from '../topology/backend-node.js';
import type { TopologyMonitor } from '../topology/monitor.js';
import { ReplyQueue, type ReplySlot } from './reply-queue.js';
import type { ReplicaPicker } from './router.js';
import { applyStateCommand, type SessionState, signature } from './session-state.js';

export interface SessionDeps {
  readonly config: Config;
  readonly topology: TopologyMonitor;
  readonly pool: SharedPool;
  readonly picker: ReplicaPicker;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly table: () => CommandTable;
  readonly defaultState: SessionState;
  readonly onClosed: (s: ClientSession) => void;
}

const OK = Buffer.from('+OK\r\n');
const RESET = Buffer.from('+RESET\r\n');
/** Replica errors after which a read is retried once on the master. */
const RETRY_ON_MASTER = /^-(LOADING|NOSCRIPT|MASTERDOWN|READONLY|ERR ambassador)/;

export class ClientSession {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private needBytes = 0;
  private mode: 'normal' | 'tunnel' | 'closed' = 'normal';
  private barrier = false;
  /** Run once the reply queue is empty (mode switches, QUIT, RESET, protocol errors). */
  private whenIdle: (() => void) | null = null;
  private stopReading = false;
  /** Guards parseLoop against re-entry (a locally answered command flushes, which resumes reading). */
  private parsing = false;
  private inTransaction = false;
  private watching = false;
  private state: SessionState;
  private sig: string;
  private privateConn: { conn: BackendConnection; node: BackendNode } | null = null;
  /** Read-your-writes: writes dispatched but not answered; and the round replicas must reach. */
  private writesInFlight = 0;
  private rywRound = 0;
  private rywUntil = 0;
  private readonly queue: ReplyQueue;
  private readonly limits: RequestLimits;

  constructor(
    private readonly socket: net.Socket,
    private readonly deps: SessionDeps,
  ) {
    this.state = deps.defaultState;
    this.sig = signature(this.state);
    this.limits = { maxBulkBytes: deps.config.maxBulkBytes, maxArgs: deps.config.maxArgs };
    this.queue = new ReplyQueue(socket, deps.metrics, (full) => this.afterFlush(full));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    socket.on('drain', () => this.resume());
  }

  /** Graceful stop: read nothing more, let owed replies go out, then close. Safe to call twice. */
  shutdown(): void {
    if (this.mode !== 'normal') {
      this.close();
      return;
    }
    this.stopReading = true;
    this.socket.pause();
    this.onIdle(() => this.socket.end(() => this.close()));
  }

  close(): void {
    if (this.mode === 'closed') return;
    this.mode = 'closed';
    this.queue.closed = true;
    this.privateConn?.conn.close('client gone');
    this.privateConn = null;
    this.socket.destroy();
    this.deps.onClosed(this);
  }

  private onData(chunk: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.pos = 0;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
    }
    if (this.buf.length < this.needBytes) return;
    this.parseLoop();
  }

  private parseLoop(): void {
    if (this.parsing) return;
    this.parsing = true;
    try {
      this.parseUnguarded();
    } finally {
      this.parsing = false;
    }
  }

  private parseUnguarded(): void {
    while (this.mode === 'normal' && !this.barrier && !this.stopReading) {
      if (this.queue.length >= this.deps.config.maxPipeline) {
        // Unbounded pipelines are bounded here: stop reading until replies drain (TCP pushes back).
        this.socket.pause();
        return;
      }
      let cmd: ParsedCommand | null;
      try {
        const r = parseRequest(this.buf, this.pos, this.limits);
        if (r === null || !('args' in r)) {
          this.needBytes = r === null ? 0 : r.minimumBytesNeeded;
          return;
        }
        cmd = r;
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        this.protocolError(e);
        return;
      }
      this.needBytes = 0;
      this.pos = cmd.next;
      if (cmd.args.length > 0) this.dispatch(cmd);
    }
  }

  private protocolError(e: ProtocolError): void {
    this.deps.log.info({ event: 'protocol-error', client: this.socket.remoteAddress, error: e.message }, 'closing client');
    this.stopReading = true;
    this.socket.pause();
    this.queue.add().fillError(`ERR ${e.message}`);
    this.onIdle(() => this.socket.end(() => this.close()));
  }

  private dispatch(cmd: ParsedCommand): void {
    let kind: RouteKind = this.deps.table().classify(cmd.name, cmd.args);
    const endsTransaction = kind === 'tx-end';
    if (this.inTransaction || this.watching) {
      if (kind === 'tx-end') {
        this.inTransaction = false;
        this.watching = false;
      } else if (kind === 'unwatch' && !this.inTransaction) this.watching = false;
      else if (kind === 'tx-start') this.inTransaction = true;
      if (kind !== 'quit' && kind !== 'reset') kind = 'private';
    }
    const slot = this.queue.add();
    switch (kind) {
      case 'read':
        return this.sendRead(cmd, slot, false);
      case 'write':
        return this.sendWrite(cmd, slot);
      case 'master':
        return this.sendToMaster(cmd.raw, slot, slot);
      case 'script-load':
        // Loads the script on every replica too (ahead of any later EVALSHA_RO on the same connection).
        this.broadcastToReplicas(cmd.raw);
        return this.sendToMaster(cmd.raw, slot, slot);
      case 'tx-start':
        this.inTransaction = true;
        return this.sendPrivate(cmd.raw, slot, slot, false);
      case 'watch':
        this.watching = true;
        return this.sendPrivate(cmd.raw, slot, slot, false);
      case 'tx-end':
      case 'unwatch':
      case 'private':
        if (!endsTransaction) return this.sendPrivate(cmd.raw, slot, slot, false);
        // EXEC may have written: later reads must see it (read-your-writes).
        this.noteWriteDispatched();
        return this.sendPrivate(cmd.raw, slot, this.rywWaiter(slot), false);
      case 'blocking':
        this.noteWriteDispatched();
        return this.sendPrivate(cmd.raw, slot, this.rywWaiter(slot), true);
      case 'state':
        return this.sendStateCommand(cmd, slot);
      case 'tunnel':
        return this.enterTunnel(cmd, slot);
      case 'reset':
        this.barrier = true;
        return this.onIdleExcept(slot, () => {
          this.privateConn?.conn.close('RESET');
          this.privateConn = null;
          this.inTransaction = false;
          this.watching = false;
          this.setState(this.deps.defaultState);
          this.barrier = false;
          slot.fill(RESET);
          this.parseLoop();
        });
      case 'quit':
        this.stopReading = true;
        this.socket.pause();
        slot.fill(OK);
        return this.onIdle(() => this.socket.end(() => this.close()));
      case 'local-ok':
        return slot.fill(OK);
      case 'reject':
        return slot.fillError(replyErrors.unsupported(cmd.args.map((a) => a.toString('latin1')).slice(0, 2).join(' ').toUpperCase()));
    }
  }

  // ---- routing -------------------------------------------------------------------------------------

  private sendToMaster(raw: Buffer, slot: ReplySlot, waiter: ReplyWaiter): void {
    const master = this.deps.topology.currentMaster;
    if (!master) {
      waiter.onError(replyErrors.noMaster(this.deps.topology.masterProblem));
      return;
    }
    slot.backend = master.id;
    slot.route = 'master';
    this.deps.pool.get(master, this.state, this.sig).send(raw, waiter);
  }

  private sendWrite(cmd: ParsedCommand, slot: ReplySlot): void {
    this.noteWriteDispatched();
    this.sendToMaster(cmd.raw, slot, this.rywWaiter(slot));
  }

  private noteWriteDispatched(): void {
    if (this.deps.config.readYourWrites) this.writesInFlight++;
  }

  /** Wraps a write's slot so that its completion starts the read-your-writes window. */
  private rywWaiter(slot: ReplySlot): ReplyWaiter {
    if (!this.deps.config.readYourWrites) return slot;
    const done = (): void => {
      this.writesInFlight--;
      this.rywRound = this.deps.topology.nextRound;
      this.rywUntil = Date.now() + this.deps.config.readYourWritesWindowMs;
      this.deps.topology.requestRoundSoon();
    };
    return {
      onReply: (reply) => {
        done();
        slot.fill(reply);
      },
      onError: (text) => {
        done();
        slot.fillError(text);
      },
    };
  }

  private sendRead(cmd: ParsedCommand, slot: ReplySlot, isRetry: boolean): void {
    let mustReach = 0;
    const topology = this.deps.topology;
    // Read-your-writes needs a master to read from; with none, a replica's data beats an error.
    if (topology.currentMaster === null) mustReach = 0;
    else if (this.writesInFlight > 0) mustReach = Number.POSITIVE_INFINITY;
    else if (this.rywRound > 0) {
      if (Date.now() < this.rywUntil) mustReach = this.rywRound;
      else this.rywRound = 0;
    }
    const replica = isRetry ? null : this.deps.picker.pick(topology.readableReplicas(), mustReach);
    if (!replica) {
      this.sendToMaster(cmd.raw, slot, slot);
      return;
    }
    slot.backend = replica.id;
    slot.route = 'replica';
    replica.readsInFlight++;
    const conn = this.deps.pool.get(replica, this.state, this.sig);
    conn.send(cmd.raw, {
      onReply: (reply) => {
        replica.readsInFlight--;
        if (reply[0] === 45 && RETRY_ON_MASTER.test(reply.toString('latin1', 0, 40))) this.sendRead(cmd, slot, true);
        else slot.fill(reply);
      },
      // A read is idempotent: if the replica connection dies, the master answers instead.
      onError: () => {
        replica.readsInFlight--;
        this.sendRead(cmd, slot, true);
      },
    });
  }

  private broadcastToReplicas(raw: Buffer): void {
    const ignore: ReplyWaiter = { onReply: () => {}, onError: () => {} };
    for (const n of this.deps.topology.nodes.values()) {
      if (n.up && n.role === 'replica') this.deps.pool.get(n, this.state, this.sig).send(raw, ignore);
    }
  }

  /** The client's own master connection, (re)opened on the current master with the client's state. */
  private ownConnection(): BackendConnection | null {
    const master = this.deps.topology.currentMaster;
    if (!master) return null;
    if (this.privateConn && (this.privateConn.conn.isClosed || this.privateConn.node !== master)) {
      this.privateConn.conn.close('master changed');
      this.privateConn = null;
    }
    if (!this.privateConn) {
      const conn = this.deps.pool.open(master, this.state);
      this.privateConn = { conn, node: master };
    }
    return this.privateConn.conn;
  }

  private sendPrivate(raw: Buffer, slot: ReplySlot, waiter: ReplyWaiter, blocking: boolean): void {
    const conn = this.ownConnection();
    slot.route = 'private';
    slot.backend = this.privateConn?.node.id ?? 'ambassador';
    if (!conn) {
      this.inTransaction = false;
      this.watching = false;
      waiter.onError(replyErrors.noMaster(this.deps.topology.masterProblem));
      return;
    }
    conn.send(raw, waiter, blocking);
  }

  // ---- connection state ----------------------------------------------------------------------------

  private setState(s: SessionState): void {
    this.state = s;
    this.sig = signature(s);
  }

  /** Runs on the private connection (whose state must change too), then applies to every later command. */
  private sendStateCommand(cmd: ParsedCommand, slot: ReplySlot): void {
    this.barrier = true;
    const release = (): void => {
      this.barrier = false;
      this.parseLoop();
    };
    this.sendPrivate(cmd.raw, slot, {
      onReply: (reply) => {
        if (reply[0] !== 45 && reply[0] !== 33) this.setState(applyStateCommand(this.state, cmd.args));
        slot.fill(reply);
        release();
      },
      onError: (text) => {
        slot.fillError(text);
        release();
      },
    }, false);
  }

  private enterTunnel(cmd: ParsedCommand, slot: ReplySlot): void {
    this.barrier = true;
    this.onIdleExcept(slot, () => {
      const conn = this.ownConnection();
      if (!conn) {
        slot.fillError(replyErrors.noMaster(this.deps.topology.masterProblem));
        this.barrier = false;
        this.parseLoop();
        return;
      }
      conn.onceReady((error) => {
        if (error !== undefined || this.mode !== 'normal') {
          slot.fillError(error ?? 'ERR ambassador: client gone');
          this.barrier = false;
          this.parseLoop();
          return;
        }
        // The slot stays unfilled: from here on every byte is passed through untouched.
        this.mode = 'tunnel';
        this.queue.closed = true;
        conn.becomeTunnel(
          (b) => {
            if (!this.socket.write(b)) {
              conn.pauseReading();
              this.socket.once('drain', () => conn.resumeReading());
            }
          },
          () => this.close(),
        );
        const rest = this.buf.subarray(this.pos);
        conn.writeRaw(rest.length > 0 ? Buffer.concat([cmd.raw, rest]) : cmd.raw);
        this.buf = Buffer.alloc(0);
        this.pos = 0;
        this.socket.removeAllListeners('data');
        this.socket.on('data', (b: Buffer) => {
          if (!conn.writeRaw(b)) {
            this.socket.pause();
            conn.onDrain(() => this.socket.resume());
          }
        });
      });
    });
  }

  // ---- flow control --------------------------------------------------------------------------------

  private onIdle(fn: () => void): void {
    if (this.queue.length === 0) fn();
    else this.whenIdle = fn;
  }

  /** Like onIdle, but `slot` (the command that asked) does not count. */
  private onIdleExcept(slot: ReplySlot, fn: () => void): void {
    void slot;
    if (this.queue.length <= 1) fn();
    else this.whenIdle = fn;
  }

  private afterFlush(outputFull: boolean): void {
    if (this.whenIdle && this.queue.length <= (this.barrier ? 1 : 0)) {
      const fn = this.whenIdle;
      this.whenIdle = null;
      fn();
    }
    if (outputFull) {
      this.socket.pause();
      return;
    }
    this.resume();
  }

  private resume(): void {
    if (this.mode !== 'normal' || this.stopReading || this.socket.writableNeedDrain) return;
    if (this.queue.length < this.deps.config.maxPipeline) {
      if (this.socket.isPaused()) this.socket.resume();
      if (!this.barrier && this.pos < this.buf.length) this.parseLoop();
    }
  }
}
