/**
 * The SPDY/3.1 side of pods/exec and pods/attach (kubectl <= 1.29, client-go tools built before
 * 1.30, kubectl with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false): checks the upgrade and negotiates
 * the remotecommand version while an error can still be a Status reply, then answers 101 and
 * hands the socket to a SpdyRemoteCommandSession. The handler has already done every exec/attach
 * check (shared with the WebSocket path); only the transport starts here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecSession } from '../../../runtime/types.js';
import { badRequest } from '../../errors.js';
import type { StreamFlags } from './exec-session.js';
import { type RemoteCommandStreams, SpdyRemoteCommandSession } from './spdy-remotecommand.js';
import { negotiateRemoteCommand } from './spdy-remotecommand-protocol.js';
import { takeUpgrade } from './upgrade-bridge.js';

export const SPDY_UPGRADE = 'SPDY/3.1';

export interface SpdyRemoteCommandServerOptions {
  log(msg: string): void;
  /** How long a new connection may take to open its streams (kubelet's streamCreationTimeout); default 30 s. */
  streamCreationTimeoutMs?: number;
}

/** Accepts SPDY exec/attach connections and tracks them until they close. */
export class SpdyRemoteCommandServer {
  readonly #open = new Set<SpdyRemoteCommandSession>();
  readonly #o: SpdyRemoteCommandServerOptions;

  constructor(o: SpdyRemoteCommandServerOptions) {
    this.#o = o;
  }

  /**
   * Upgrades `req` (a bridged upgrade request) to a remotecommand session. Throws an ApiError,
   * before anything is written, for an upgrade other than SPDY/3.1, a missing
   * X-Stream-Protocol-Version (400) or no common version (403, with
   * X-Accepted-Stream-Protocol-Versions set on `res`), as kubelet's httpstream.Handshake does.
   */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    flags: StreamFlags,
    start: (streams: RemoteCommandStreams) => ExecSession,
  ): SpdyRemoteCommandSession {
    if ((req.headers.upgrade ?? '').toLowerCase() !== SPDY_UPGRADE.toLowerCase()) {
      throw badRequest(
        `unsupported upgrade ${JSON.stringify(req.headers.upgrade ?? '')}: want ${SPDY_UPGRADE} or websocket`,
      );
    }
    const protocol = negotiateRemoteCommand(req.headers['x-stream-protocol-version'], (accepted) =>
      res.setHeader('X-Accepted-Stream-Protocol-Versions', [...accepted]),
    );
    const conn = takeUpgrade(req);
    if (!conn) throw badRequest('Upgrade request required');
    conn.socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${SPDY_UPGRADE}\r\n` +
        `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
    );
    const session = new SpdyRemoteCommandSession(conn.socket, {
      protocol,
      flags,
      start,
      log: this.#o.log,
      head: conn.head,
      ...(this.#o.streamCreationTimeoutMs !== undefined
        ? { streamCreationTimeoutMs: this.#o.streamCreationTimeoutMs }
        : {}),
    });
    this.#open.add(session);
    void session.closed.then(() => this.#open.delete(session));
    return session;
  }

  /** Ends every open session (their processes are killed, attaches detached). */
  closeAll(): void {
    for (const s of this.#open) s.close();
    this.#open.clear();
  }
}
