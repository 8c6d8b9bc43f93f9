/**
 * What the ambassador knows about one Redis server. The topology monitor (monitor.ts, with its
 * offset-watch.ts for `offset`) is the only writer of these fields; sessions and the router read them.
 */
import type { HostPort } from '../config/config.js';

export type Role = 'master' | 'replica' | 'unknown';

export interface BackendNode {
  /** `ip:port` (or `[v6]:port`): the resolved address, also the metrics label. */
  readonly id: string;
  readonly address: HostPort;
  /** Which setting named it: the configured master list, the replica list, or Sentinel. */
  readonly configuredAs: 'master' | 'replica' | 'sentinel';
  role: Role;
  /** Answered the last ROLE check in time. */
  up: boolean;
  /**
   * Replication offset from ROLE (master_repl_offset on a master, processed offset on a replica).
   * Read-your-writes lets a replica serve a client once this reaches the master offset after its write.
   */
  offset: number;
  /** Replica only: its link to the master is `connected`. */
  linkUp: boolean;
  /** Replica only: master offset minus this offset, from the same check round. */
  lagBytes: number;
  /** Reads currently waiting on this node, for the least-outstanding policy. */
  readsInFlight: number;
  lastError: string;
}

export function nodeId(a: HostPort): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

export function newNode(address: HostPort, configuredAs: BackendNode['configuredAs']): BackendNode {
  return {
    id: nodeId(address),
    address,
    configuredAs,
    role: 'unknown',
    up: false,
    offset: 0,
    linkUp: false,
    lagBytes: 0,
    readsInFlight: 0,
    lastError: 'not checked yet',
  };
}
