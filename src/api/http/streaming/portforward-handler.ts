/**
 * pods/portforward: SPDY/3.1 either tunnelled in WebSocket binary messages (subprotocol
 * `SPDY/3.1+portforward.k8s.io`, kubectl's first try) or on a directly upgraded connection
 * (`Upgrade: SPDY/3.1`, `X-Stream-Protocol-Version: portforward.k8s.io`, its fallback).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { ApiError, badRequest, methodNotAllowed } from '../../errors.js';
import { validateContainerName } from '../pod-subresources.js';
import type { SubresourceHandler } from '../resource-handler.js';
import { PortForwardSession, type SpdyTransport } from './portforward-session.js';
import type { StreamingDeps } from './streaming-deps.js';
import { isUpgrade, takeUpgrade } from './upgrade-bridge.js';

export const PORTFORWARD_PROTOCOL = 'portforward.k8s.io';
export const WS_PORTFORWARD_PROTOCOL = `SPDY/3.1+${PORTFORWARD_PROTOCOL}`;

const tunnelled = new WeakSet<IncomingMessage>();

function webSocketTransport(ws: WebSocket): SpdyTransport {
  return {
    write: (bytes) => ws.send(bytes, { binary: true }),
    close: () => ws.close(1000),
    onData: (cb) =>
      ws.on('message', (data, isBinary) => {
        if (isBinary) cb(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
      }),
    onClose: (cb) => ws.on('close', cb),
  };
}

function socketTransport(socket: Duplex): SpdyTransport {
  return {
    write: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    close: () => socket.end(),
    onData: (cb) => socket.on('data', cb),
    onClose: (cb) => socket.on('close', cb),
  };
}

/** Open sessions, so the engine can end them on shutdown. */
export class PortForwardSessions {
  readonly #open = new Set<PortForwardSession>();
  add(s: PortForwardSession, transport: SpdyTransport): void {
    this.#open.add(s);
    transport.onClose(() => this.#open.delete(s));
  }
  closeAll(): void {
    for (const s of this.#open) s.close();
    this.#open.clear();
  }
}

export function podPortForwardHandler(
  deps: StreamingDeps,
  sessions: PortForwardSessions,
): SubresourceHandler {
  // ws refuses `SPDY/3.1+portforward.k8s.io` ('/' is not a token character), so the handler strips
  // the offer before the handshake and answers it here.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on('headers', (headers, req) => {
    if (tunnelled.has(req)) headers.push(`Sec-WebSocket-Protocol: ${WS_PORTFORWARD_PROTOCOL}`);
  });

  return async (req, _res, r, url) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
    const pod = deps.getPod(r.namespace ?? '', r.name ?? '');
    if (url.searchParams.has('container')) validateContainerName(pod, url.searchParams.get('container'));
    if (!pod.spec?.nodeName) throw badRequest(`pod ${r.name} does not have a host assigned`);
    if (!isUpgrade(req)) throw badRequest('Upgrade request required');
    const start = (transport: SpdyTransport) => {
      const session = new PortForwardSession(transport, {
        dial: (port) => deps.backend.portForward(pod, port),
        log: deps.log,
      });
      sessions.add(session, transport);
    };

    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'websocket') {
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
      if (!offered.includes(WS_PORTFORWARD_PROTOCOL)) {
        throw badRequest(
          `the WebSocket subprotocol must be ${WS_PORTFORWARD_PROTOCOL}; offered: [${offered.join(' ')}]`,
        );
      }
      delete req.headers['sec-websocket-protocol'];
      tunnelled.add(req);
      const conn = takeUpgrade(req)!;
      wss.handleUpgrade(req, conn.socket, conn.head, (ws) => start(webSocketTransport(ws)));
      return;
    }
    if (upgrade !== 'spdy/3.1')
      throw badRequest(
        `unsupported upgrade ${JSON.stringify(req.headers.upgrade)}: want SPDY/3.1 or websocket`,
      );
    const versions = String(req.headers['x-stream-protocol-version'] ?? '')
      .split(',')
      .map((s) => s.trim());
    if (!versions.includes(PORTFORWARD_PROTOCOL)) {
      throw new ApiError(
        403,
        'Forbidden',
        `unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server supports [${PORTFORWARD_PROTOCOL}]`,
      );
    }
    const conn = takeUpgrade(req)!;
    conn.socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${PORTFORWARD_PROTOCOL}\r\n\r\n`,
    );
    const transport = socketTransport(conn.socket);
    start(transport);
    if (conn.head.length) conn.socket.unshift(conn.head);
  };
}
