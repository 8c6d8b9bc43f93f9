/**
 * Routes HTTP Upgrade requests (WebSocket, SPDY/3.1) through the API server's ordinary request
 * handler, so they are authenticated, routed and turned into Status errors exactly like other
 * requests. Node hands upgrades to the server's 'upgrade' event with the raw socket; the bridge
 * wraps that socket in a ServerResponse and emits 'request'. A streaming handler that accepts the
 * upgrade takes the socket with `takeUpgrade`; any other answer goes out through the response,
 * after which the socket is closed.
 */
import type { EventEmitter } from 'node:events';
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface UpgradedConnection {
  socket: Duplex;
  /** Bytes the client sent after the request head (usually none: clients wait for the 101). */
  head: Buffer;
}

const pending = new WeakMap<IncomingMessage, { conn: UpgradedConnection; res: ServerResponse }>();

/** Installs the bridge on an http or https server; returns a function that removes it. */
export function bridgeUpgrades(server: EventEmitter): () => void {
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Parameters<ServerResponse['assignSocket']>[0]);
    res.once('finish', () => socket.end());
    socket.on('error', () => socket.destroy());
    pending.set(req, { conn: { socket, head }, res });
    server.emit('request', req, res);
  };
  server.on('upgrade', onUpgrade);
  return () => server.off('upgrade', onUpgrade);
}

/** True when the request came through the bridge and its socket is still untaken. */
export function isUpgrade(req: IncomingMessage): boolean {
  return pending.has(req);
}

/**
 * Takes the raw socket of a bridged upgrade request; the caller now owns it (writes the 101 and
 * everything after). Undefined when the request did not come through the bridge.
 */
export function takeUpgrade(req: IncomingMessage): UpgradedConnection | undefined {
  const p = pending.get(req);
  if (!p) return undefined;
  pending.delete(req);
  p.res.detachSocket(p.conn.socket as Parameters<ServerResponse['detachSocket']>[0]);
  return p.conn;
}
