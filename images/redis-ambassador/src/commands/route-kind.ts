/**
 * How the ambassador treats one command. Routing, pinning and read-your-writes all key off this value;
 * command-table.ts is the only place that decides it.
 */
export type RouteKind =
  /** read-only (`readonly` flag): a healthy, caught-up replica, else the master */
  | 'read'
  /** writes (`write` or `may_replicate`) and unknown commands: the master; starts read-your-writes */
  | 'write'
  /** neither read nor write (PING, INFO, CONFIG…): the master, no read-your-writes effect */
  | 'master'
  /** BLPOP & co, XREAD BLOCK, WAIT: the client's private master connection, no command timeout */
  | 'blocking'
  /** MULTI: private master connection until EXEC/DISCARD */
  | 'tx-start'
  /** EXEC / DISCARD: private master connection, ends the transaction (and any WATCH) */
  | 'tx-end'
  /** WATCH: private master connection; later commands stay there until EXEC/DISCARD/UNWATCH */
  | 'watch'
  /** UNWATCH */
  | 'unwatch'
  /** SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE/MONITOR: the connection becomes a tunnel to the master */
  | 'tunnel'
  /** SELECT, AUTH, HELLO, CLIENT SETNAME: run on the private connection, then replayed on every other */
  | 'state'
  /** CLIENT GETNAME/ID/INFO: answered by the private connection, which is the client's true identity */
  | 'private'
  /** SCRIPT LOAD: the master answers; replicas are loaded too so EVALSHA_RO works there */
  | 'script-load'
  /** RESET: clear session state */
  | 'reset'
  /** QUIT: answer +OK and close */
  | 'quit'
  /** CLIENT SETINFO: accepted locally (library metadata must not land on shared connections) */
  | 'local-ok'
  /** CLIENT REPLY / CLIENT TRACKING: would break reply accounting on shared connections */
  | 'reject';

/** Route kinds whose command changes what later replies mean for this client. */
export const barrierKinds: ReadonlySet<RouteKind> = new Set(['state', 'reset', 'tunnel', 'quit']);
