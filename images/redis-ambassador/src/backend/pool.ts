/**
 * Shared backend connections: one per (backend, session-state signature). Every client whose state has
 * that signature multiplexes its commands onto it, as predixy does; Redis answers in order, so each
 * connection's FIFO of waiters keeps replies straight. Connections for non-default signatures (a SELECTed
 * db, a client name) are closed after sitting idle, so many short-lived names cannot leak connections.
 */
import type { Config } from '../config/config.js';
import { handshakeFor, type SessionState, signature } from '../proxy/session-state.js';
import type { BackendNode } from '../topology/backend-node.js';
import { BackendConnection } from './backend-connection.js';

const IDLE_CLOSE_MS = 60_000;

interface PoolEntry {
  readonly conn: BackendConnection;
  lastUsed: number;
  readonly isDefault: boolean;
}

export class SharedPool {
  private readonly entries = new Map<string, Map<string, PoolEntry>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly config: Config,
    private readonly defaultSignature: string,
  ) {
    this.sweeper = setInterval(() => this.sweep(), IDLE_CLOSE_MS / 2);
    this.sweeper.unref();
  }

  /** The shared connection to `node` for sessions in `state` (`sig` is `signature(state)`, cached by the caller). */
  get(node: BackendNode, state: SessionState, sig = signature(state)): BackendConnection {
    // Two look-ups by long-lived strings (V8 caches their hashes), rather than one by a `${id}|${sig}`
    // key that would be built, flattened and hashed on every forwarded run.
    let bySig = this.entries.get(node.id);
    if (bySig === undefined) {
      bySig = new Map();
      this.entries.set(node.id, bySig);
    }
    const entry = bySig.get(sig);
    if (entry !== undefined && !entry.conn.isClosed) {
      if (!entry.isDefault) entry.lastUsed = Date.now(); // only non-default entries are idle-closed
      return entry.conn;
    }
    const conn = this.open(node, state);
    bySig.set(sig, { conn, lastUsed: Date.now(), isDefault: sig === this.defaultSignature });
    return conn;
  }

  /** A connection owned by one client (transactions, blocking commands, subscriptions). */
  open(node: BackendNode, state: SessionState): BackendConnection {
    return new BackendConnection({
      address: node.address,
      ...(this.config.tls ? { tls: this.config.tls } : {}),
      handshake: handshakeFor(state),
      connectTimeoutMs: this.config.connectTimeoutMs,
      commandTimeoutMs: this.config.commandTimeoutMs,
    });
  }

  closeAll(reason: string): void {
    clearInterval(this.sweeper);
    for (const bySig of this.entries.values()) for (const e of bySig.values()) e.conn.close(reason);
    this.entries.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, bySig] of this.entries) {
      for (const [sig, e] of bySig) {
        if (e.conn.isClosed) bySig.delete(sig);
        else if (!e.isDefault && e.conn.outstanding === 0 && now - e.lastUsed > IDLE_CLOSE_MS) {
          e.conn.close('idle');
          bySig.delete(sig);
        }
      }
      if (bySig.size === 0) this.entries.delete(id);
    }
  }
}
