/**
 * A client's own connection to the master, for what cannot share a connection: transactions and WATCH,
 * blocking commands, connection-state commands, CLIENT GETNAME/ID/INFO, and tunnels. Opened lazily with
 * the client's state; reopened on the new master after a failover (whatever was pending on the old one
 * fails with an error, which is what a client of a restarted Redis sees too).
 */
import type { BackendConnection } from '../backend/backend-connection.js';
import type { SharedPool } from '../backend/pool.js';
import type { BackendNode } from '../topology/backend-node.js';
import type { TopologyMonitor } from '../topology/monitor.js';
import type { SessionState } from './session-state.js';

export class PrivateConnection {
  private current: { conn: BackendConnection; node: BackendNode } | null = null;

  constructor(
    private readonly pool: SharedPool,
    private readonly topology: TopologyMonitor,
  ) {}

  get nodeId(): string {
    return this.current?.node.id ?? this.topology.currentMaster?.id ?? 'ambassador';
  }

  /** The connection on the current master, or null when there is no master. */
  get(state: SessionState): BackendConnection | null {
    const master = this.topology.currentMaster;
    if (!master) return null;
    if (this.current && (this.current.conn.isClosed || this.current.node !== master))
      this.close('master changed');
    if (!this.current) this.current = { conn: this.pool.open(master, state), node: master };
    return this.current.conn;
  }

  /** Safe to call twice. */
  close(reason: string): void {
    this.current?.conn.close(reason);
    this.current = null;
  }
}
