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
 *
 * Hot path: consecutive plain reads/writes of one parse pass that go to the same backend connection form
 * a "run" and are forwarded as one contiguous slice with one reply slot (see RunBuilder). Reads in one
 * pass go to one replica (chosen per pass, round-robin or least-outstanding), so a pipeline stays whole.
 */
import type net from 'node:net';
import type { SharedPool } from '../backend/pool.js';
import type { CommandTable } from '../commands/command-table.js';
import type { RouteKind } from '../commands/route-kind.js';
import type { Config } from '../config/config.js';
import { ProtocolError, replyErrors } from '../errors.js';
import type { Logger } from '../observe/log.js';
import type { Metrics } from '../observe/metrics.js';
import {
  frameRequest,
  type ParsedCommand,
  parseRequest,
  type RequestLimits,
} from '../resp/request-parser.js';
import type { TopologyMonitor } from '../topology/monitor.js';
import { ClientInput } from './client-input.js';
import type { ClientSocket } from './client-socket.js';
import { PrivateConnection } from './private-connection.js';
import { ReadYourWrites } from './read-your-writes.js';
import { ReplyQueue, type ReplySlot } from './reply-queue.js';
import type { ReplicaPicker } from './router.js';
import { RunForwarder } from './run-forwarder.js';
import { applyStateCommand, type SessionState, signature } from './session-state.js';
import { enterTunnel } from './tunnel.js';
import { onCompletion, replicaRead } from './waiters.js';

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
/**
 * Input read ahead while parsing waits (at a barrier or the pipeline bound) before reading stops. A client
 * blocked in BLPOP & co is read on, to `maxQueryBufferBytes` (see holdInput).
 */
const READ_AHEAD_BYTES = 1024 * 1024;
const RESET = Buffer.from('+RESET\r\n');

export class ClientSession {
  private readonly input = new ClientInput(() => {
    if (this.mode === 'normal') this.parseLoop();
  });
  private mode: 'normal' | 'tunnel' | 'closed' = 'normal';
  private barrier = false;
  /** Run once the reply queue is down to the slot that asked (mode switches, RESET, QUIT). */
  private whenIdle: (() => void) | null = null;
  private stopReading = false;
  /** The client has sent all it will send (it closed or half-closed): answer what was read, then close. */
  private inputEnded = false;
  /** Set by a parse pass that stopped because the input ran out (not at a barrier or the pipeline bound). */
  private inputExhausted = false;
  /** After the input ended: closes the session if no reply came for a command timeout (see onClientEnd). */
  private endTimer: NodeJS.Timeout | undefined;
  private parsing = false;
  private inTransaction = false;
  /** A SUBSCRIBE & co is queued in this MULTI: after EXEC the connection may be subscribed (tunnel). */
  private transactionSubscribes = false;
  private watching = false;
  /** Blocking commands (BLPOP & co) in flight: while one is, the client is read on (see holdInput). */
  private blockedCommands = 0;
  private state: SessionState;
  private sig: string;
  private readonly own: PrivateConnection;
  private readonly ryw: ReadYourWrites;
  private readonly runs: RunForwarder;
  private readonly queue: ReplyQueue;
  private readonly limits: RequestLimits;
  /** Out-parameter of frameRequest (the fast path's command name), reused for every command. */
  private readonly frame = { name: '' };

  private readonly socket: net.Socket;

  constructor(
    private readonly client: ClientSocket,
    private readonly deps: SessionDeps,
  ) {
    const socket = client.socket;
    this.socket = socket;
    this.state = deps.defaultState;
    this.sig = signature(this.state);
    this.own = new PrivateConnection(deps.pool, deps.topology);
    this.ryw = new ReadYourWrites(deps.config.readYourWrites, deps.topology);
    this.limits = { maxBulkBytes: deps.config.maxBulkBytes, maxArgs: deps.config.maxArgs };
    this.queue = new ReplyQueue(socket, deps.metrics, (full) => this.afterFlush(full));
    this.runs = new RunForwarder({ ...deps, ryw: this.ryw, queue: this.queue });
    socket.setNoDelay(true);
    client.setReader((chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    socket.on('end', () => this.onClientEnd());
    socket.on('drain', () => this.resume());
  }

  /** Graceful stop: read nothing more, send the replies owed, then close. Safe to call twice. */
  shutdown(): void {
    if (this.mode !== 'normal') {
      this.close();
      return;
    }
    this.stopReading = true;
    this.socket.pause();
    this.onIdle(() => this.socket.end(() => this.close()), 0);
  }

  close(): void {
    if (this.mode === 'closed') return;
    clearTimeout(this.endTimer);
    this.input.clear();
    this.mode = 'closed';
    this.queue.closed = true;
    this.own.close('client gone');
    this.socket.destroy();
    this.deps.onClosed(this);
  }

  private onData(chunk: Buffer): void {
    try {
      this.receive(chunk);
    } catch (e) {
      // Whatever a client sends must never take the process down: drop this client only.
      this.deps.log.error(
        { event: 'client-error', error: (e as Error).stack ?? String(e) },
        'closing client after internal error',
      );
      this.close();
    }
  }

  private receive(chunk: Buffer): void {
    if (this.stopReading) return; // after QUIT or a protocol error, input is read only to see the close
    if (this.input.push(chunk)) this.parseLoop();
    else if (this.input.held) this.holdInput();
  }

  /**
   * Parsing waits (a barrier, or the pipeline bound) while more input comes. Reading stops once
   * READ_AHEAD_BYTES wait, so a flood is pushed back by TCP, unless a blocking command is in flight: its
   * reply may never come (`BLPOP k 0`), so, as Redis does with a blocked client, the client is read on
   * and its close is seen; past `maxQueryBufferBytes` (Redis's client-query-buffer-limit) it is closed.
   */
  private holdInput(): void {
    const unparsed = this.input.unparsedBytes;
    if (unparsed > this.deps.config.maxQueryBufferBytes) {
      this.deps.log.warn(
        { event: 'query-buffer-limit', client: this.socket.remoteAddress, bytes: unparsed },
        'closing client that reached the query buffer limit',
      );
      this.close();
      return;
    }
    if (unparsed > READ_AHEAD_BYTES && this.blockedCommands === 0) this.socket.pause();
  }

  private parseLoop(): void {
    if (this.parsing) return;
    this.parsing = true;
    this.inputExhausted = false;
    this.input.ready();
    try {
      this.parsePass();
    } finally {
      this.flushRun();
      this.runs.endPass();
      this.parsing = false;
    }
    if (!this.inputExhausted && this.mode === 'normal' && !this.stopReading) {
      this.input.held = true;
      this.holdInput();
    }
    if (this.inputEnded && this.inputExhausted && !this.stopReading) {
      // Everything the client sent is dispatched (a trailing partial command is dropped, as Redis does).
      this.stopReading = true;
      this.onIdle(() => this.socket.end(() => this.close()), 0);
    }
  }

  private parsePass(): void {
    const table = this.deps.table();
    const input = this.input;
    let lastName = '';
    let lastKind: RouteKind | undefined;
    while (this.mode === 'normal' && !this.barrier && !this.stopReading) {
      if (this.queue.pendingCommands + this.runs.pendingCount >= this.deps.config.maxPipeline) {
        // Unbounded pipelines are bounded here: parse no more until replies drain. Reading stops once
        // READ_AHEAD_BYTES wait (see holdInput), and TCP pushes back.
        return;
      }
      let cmd: ParsedCommand;
      const start = input.pos;
      if (!this.inTransaction && !this.watching) {
        // Fast path (GET/SET/…): frame without an argument array, route by name, extend the run.
        const next = frameRequest(input.buf, start, this.limits, this.frame);
        if (next > 0) {
          // Pipelines repeat one command: names come from a cache, so the same name is the same string.
          const name = this.frame.name;
          if (name !== lastName) {
            lastName = name;
            lastKind = table.kindByName(name);
          }
          const kind = lastKind;
          if (
            kind !== undefined &&
            (this.runs.extend(kind, start, next) ||
              this.runs.add(kind, start, next, this.state, this.sig, input.buf))
          ) {
            input.needBytes = 0;
            input.pos = next;
            continue;
          }
        }
      }
      try {
        const r = parseRequest(input.buf, start, this.limits);
        if (r === null || !('args' in r)) {
          input.needBytes = r === null ? 0 : r.minimumBytesNeeded;
          this.inputExhausted = true;
          return;
        }
        cmd = r;
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        this.flushRun();
        this.protocolError(e);
        return;
      }
      input.needBytes = 0;
      input.pos = cmd.next;
      if (cmd.args.length === 0) continue;
      const kind = table.classify(cmd.name, cmd.args);
      const plain = !cmd.inline && !this.inTransaction && !this.watching;
      if (!plain || !this.runs.add(kind, start, cmd.next, this.state, this.sig, input.buf)) {
        this.flushRun();
        this.dispatch(cmd, kind);
      }
    }
  }

  private protocolError(e: ProtocolError): void {
    this.deps.log.info(
      { event: 'protocol-error', client: this.socket.remoteAddress, error: e.message },
      'closing client',
    );
    this.stopClientInput();
    this.queue.add().fillError(`ERR ${e.message}`);
    this.onIdle(() => this.socket.end(() => this.close()), 0);
  }

  /**
   * The client's side of the connection ended. As Redis does with the commands it already read, the ones
   * received are answered before the connection closes (a client may half-close after its last command).
   * A reply that never comes (QUIT behind `BLPOP k 0`, whose client is gone) is not waited for: with no
   * reply for a command timeout, the session closes.
   */
  private onClientEnd(): void {
    if (this.mode !== 'normal') {
      this.close();
      return;
    }
    this.inputEnded = true;
    this.endTimer = setTimeout(() => this.close(), this.deps.config.commandTimeoutMs);
    this.endTimer.unref();
    if (!this.barrier) this.parseLoop();
  }

  /**
   * After QUIT or a protocol error: parse nothing more, but keep reading (and dropping) the client's bytes.
   * A paused socket would never see the client close, so a session whose owed reply never comes (QUIT
   * behind `BLPOP k 0`) would stay open, with its backend connection, after the client has gone.
   */
  private stopClientInput(): void {
    this.stopReading = true;
    this.input.clear();
    this.socket.resume();
  }

  // ---- everything else -----------------------------------------------------------------------------

  private dispatch(cmd: ParsedCommand, classified: RouteKind): void {
    let kind = classified;
    const endsTransaction = kind === 'tx-end';
    if (this.inTransaction || this.watching) {
      if (kind === 'tx-end') {
        // EXEC of a MULTI that queued SUBSCRIBE & co leaves the connection subscribed, as in Redis: from
        // EXEC on, it is a tunnel (if the transaction was aborted, the tunnel is a plain pipe to the master).
        if (this.inTransaction && this.transactionSubscribes && cmd.name === 'exec') kind = 'tunnel';
        this.inTransaction = false;
        this.transactionSubscribes = false;
        this.watching = false;
      } else if (kind === 'unwatch' && !this.inTransaction) this.watching = false;
      else if (kind === 'tx-start') this.inTransaction = true;
      // In MULTI, Redis queues everything but EXEC/DISCARD/MULTI/WATCH/QUIT/RESET, so it all goes to the
      // private connection as it is. With only WATCH, Redis runs commands at once: only those bound for a
      // shared connection move to the private one; SELECT, SUBSCRIBE, BLPOP… keep their own handling.
      if (this.inTransaction && kind === 'tunnel') this.transactionSubscribes = true;
      if (
        this.inTransaction
          ? kind !== 'quit' && kind !== 'reset'
          : kind === 'read' || kind === 'write' || kind === 'master' || kind === 'script-load'
      )
        kind = 'private';
    }
    const slot = this.queue.add();
    switch (kind) {
      case 'read': {
        // Inline commands, or no master: one command on its own.
        const replica = this.runs.replicaForRead();
        if (replica) {
          slot.backend = replica.id;
          slot.route = 'replica';
          const conn = this.deps.pool.get(replica, this.state, this.sig);
          conn.send(
            cmd.raw,
            replicaRead(slot, replica, () => this.toMaster(cmd.raw, slot)),
          );
          return;
        }
        this.toMaster(cmd.raw, slot);
        return;
      }
      case 'write':
        // Inline commands, or no master: one command on its own.
        if (this.deps.topology.currentMaster && this.ryw.writeStarted()) {
          const master = this.deps.topology.currentMaster;
          slot.backend = master.id;
          slot.route = 'master';
          const conn = this.deps.pool.get(master, this.state, this.sig);
          conn.send(
            cmd.raw,
            onCompletion(slot, () => this.ryw.writesDone(1)),
          );
          return;
        }
        this.toMaster(cmd.raw, slot);
        return;
      case 'master':
      case 'script-load':
        // SCRIPT LOAD also goes to every replica first, so EVALSHA_RO works there.
        if (kind === 'script-load') this.broadcastToReplicas(cmd.raw);
        this.toMaster(cmd.raw, slot);
        return;
      case 'tx-start':
        this.inTransaction = true;
        this.sendPrivate(cmd.raw, slot, false);
        return;
      case 'watch':
        this.watching = true;
        this.sendPrivate(cmd.raw, slot, false);
        return;
      case 'tx-end':
      case 'unwatch':
      case 'private':
        // EXEC may have written: later reads must see it (read-your-writes).
        this.sendPrivate(cmd.raw, slot, false, endsTransaction);
        return;
      case 'blocking':
        this.sendPrivate(cmd.raw, slot, true, true);
        return;
      case 'state':
        this.sendStateCommand(cmd, slot);
        return;
      case 'tunnel':
        this.barrier = true;
        this.onIdle(() => this.startTunnel(cmd, slot), 1);
        return;
      case 'reset':
        this.barrier = true;
        this.onIdle(() => {
          this.own.close('RESET');
          this.inTransaction = false;
          this.transactionSubscribes = false;
          this.watching = false;
          this.setState(this.deps.defaultState);
          this.barrier = false;
          slot.fill(RESET);
          this.parseLoop();
        }, 1);
        return;
      case 'quit':
        this.stopClientInput();
        slot.fill(OK);
        this.onIdle(() => this.socket.end(() => this.close()), 0);
        return;
      case 'local-ok':
        slot.fill(OK);
        return;
      case 'reject':
        slot.fillError(
          replyErrors.unsupported(
            cmd.args
              .slice(0, 2)
              .map((a) => a.toString('latin1'))
              .join(' ')
              .toUpperCase(),
          ),
        );
        return;
    }
  }

  private flushRun(): void {
    this.runs.flush(this.input.buf, this.state, this.sig);
  }

  private toMaster(raw: Buffer, slot: ReplySlot): void {
    this.runs.sendToMaster(raw, slot, this.state, this.sig);
  }

  private broadcastToReplicas(raw: Buffer): void {
    const ignore = { onReply: () => {}, onError: () => {} };
    for (const n of this.deps.topology.nodes.values()) {
      if (n.up && n.role === 'replica') this.deps.pool.get(n, this.state, this.sig).send(raw, ignore);
    }
  }

  private sendPrivate(raw: Buffer, slot: ReplySlot, blocking: boolean, mayWrite = false): void {
    const conn = this.own.get(this.state);
    slot.route = 'private';
    slot.backend = this.own.nodeId;
    if (!conn) {
      this.inTransaction = false;
      this.transactionSubscribes = false;
      this.watching = false;
      slot.fillError(replyErrors.noMaster(this.deps.topology.masterProblem));
      return;
    }
    const tracksWrite = mayWrite && this.ryw.writeStarted();
    if (!tracksWrite && !blocking) {
      conn.send(raw, slot, false);
      return;
    }
    if (blocking) this.blockedCommands++;
    conn.send(
      raw,
      onCompletion(slot, () => {
        if (tracksWrite) this.ryw.writesDone(1);
        if (blocking) this.blockedCommands--;
      }),
      blocking,
    );
  }

  private setState(s: SessionState): void {
    this.state = s;
    this.sig = signature(s);
  }

  /** Runs on the private connection (whose state must change too), then applies to every later command. */
  private sendStateCommand(cmd: ParsedCommand, slot: ReplySlot): void {
    this.barrier = true;
    const conn = this.own.get(this.state);
    slot.route = 'private';
    slot.backend = this.own.nodeId;
    const release = (): void => {
      this.barrier = false;
      this.parseLoop();
    };
    if (!conn) {
      slot.fillError(replyErrors.noMaster(this.deps.topology.masterProblem));
      release();
      return;
    }
    conn.send(cmd.raw, {
      onReply: (reply, errors) => {
        if (errors === 0) this.setState(applyStateCommand(this.state, cmd.args));
        slot.onReply(reply, errors, true);
        release();
      },
      onError: (text) => {
        slot.fillError(text);
        release();
      },
    });
  }

  private startTunnel(cmd: ParsedCommand, slot: ReplySlot): void {
    const conn = this.own.get(this.state);
    const fail = (text: string): void => {
      slot.fillError(text);
      this.barrier = false;
      this.parseLoop();
    };
    if (!conn) {
      fail(replyErrors.noMaster(this.deps.topology.masterProblem));
      return;
    }
    conn.onceReady((error) => {
      if (this.mode !== 'normal') return;
      if (error !== undefined) {
        fail(error);
        return;
      }
      if (this.inputEnded) {
        this.close(); // the client will never read a message
        return;
      }
      // The slot stays unfilled: from here on every byte is passed through untouched.
      this.mode = 'tunnel';
      this.queue.closed = true;
      const rest = this.input.take();
      enterTunnel(this.client, conn, rest.length > 0 ? Buffer.concat([cmd.raw, rest]) : cmd.raw, () =>
        this.close(),
      );
    });
  }

  // ---- flow control --------------------------------------------------------------------------------

  /** Runs `fn` once at most `keep` requests are queued (1: the request that asked is still owed). */
  private onIdle(fn: () => void, keep: 0 | 1): void {
    if (this.queue.length <= keep) fn();
    else this.whenIdle = fn;
  }

  private afterFlush(outputFull: boolean): void {
    this.endTimer?.refresh();
    if (this.whenIdle && this.queue.length <= (this.barrier ? 1 : 0)) {
      const fn = this.whenIdle;
      this.whenIdle = null;
      fn();
      // A tunnel (or a close) may have begun: the tunnel does its own flow control, and pausing here
      // would stop it reading the client for good (nothing resumes a tunnel's client socket).
      if (this.mode !== 'normal') return;
    }
    if (outputFull) {
      // The client is not reading its replies: stop reading its commands until the socket drains.
      this.socket.pause();
      return;
    }
    this.resume();
  }

  private resume(): void {
    if (this.mode !== 'normal' || this.stopReading || this.socket.writableNeedDrain) return;
    if (this.queue.pendingCommands < this.deps.config.maxPipeline) {
      if (this.socket.isPaused()) this.socket.resume();
      if (!this.barrier && this.input.hasUnparsed) this.parseLoop();
    }
  }
}
