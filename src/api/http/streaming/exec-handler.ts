/**
 * pods/exec and pods/attach over WebSocket `v5.channel.k8s.io`, or over SPDY/3.1 for older
 * clients (spdy-remotecommand-upgrade.ts). Everything that can fail is checked before the
 * upgrade, so kubectl gets a non-101 Status it prints as `Error from server (BadRequest): ...`;
 * both transports get the same checks and start the same backend session.
 */
import type { IncomingMessage } from 'node:http';
import type { Pod } from 'kubernetes-types/core/v1';
import { WebSocketServer } from 'ws';
import { badRequest, methodNotAllowed } from '../../errors.js';
import { validateContainerName } from '../pod-subresources.js';
import type { SubresourceHandler } from '../resource-handler.js';
import { attachStreamFlags } from './attach-options.js';
import type { ResolvedContainer } from './backend.js';
import { runChannelSession, type StreamFlags } from './exec-session.js';
import { SpdyRemoteCommandServer } from './spdy-remotecommand-upgrade.js';
import type { StreamingDeps } from './streaming-deps.js';
import { isUpgrade, takeUpgrade } from './upgrade-bridge.js';
import { V5_PROTOCOL } from './ws-channels.js';

const bool = (v: string | null): boolean => v === 'true' || v === '1';

/** Upstream's checks on PodExecOptions / PodAttachOptions (pkg/registry/core/pod/rest/subresources.go). */
function streamFlags(q: URLSearchParams, isExec: boolean): StreamFlags & { command: string[] } {
  const flags = {
    stdin: bool(q.get('stdin')),
    stdout: bool(q.get('stdout')),
    stderr: bool(q.get('stderr')),
    tty: bool(q.get('tty')),
    command: q.getAll('command'),
  };
  if (isExec && flags.command.length === 0)
    throw badRequest('you must specify at least one command for the container');
  if (!flags.stdin && !flags.stdout && !flags.stderr) {
    throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
  return flags;
}

function wantsWebSocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

async function runningContainer(
  deps: StreamingDeps,
  pod: Pod,
  container: string,
): Promise<ResolvedContainer> {
  const resolved = await deps.backend.resolve(pod, container);
  if (resolved?.kind !== 'container' || !(await resolved.current.running())) {
    throw badRequest(`unable to upgrade connection: container not found (${JSON.stringify(container)})`);
  }
  return resolved;
}

export interface ExecHandler {
  handler: SubresourceHandler;
  /** Ends every open session (their processes are killed when their sockets close). */
  closeAll(): void;
}

export function podExecHandler(deps: StreamingDeps, verb: 'exec' | 'attach'): ExecHandler {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(V5_PROTOCOL) ? V5_PROTOCOL : false),
  });
  const spdy = new SpdyRemoteCommandServer({ log: deps.log });
  const handler: SubresourceHandler = async (req, res, r, url) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
    const pod = deps.getPod(r.namespace ?? '', r.name ?? '');
    const container = validateContainerName(pod, url.searchParams.get('container'));
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      throw badRequest(`cannot ${verb} into a container in a completed pod; current phase is ${phase}`);
    }
    const requested = streamFlags(url.searchParams, verb === 'exec');
    const flags =
      verb === 'attach' ? { ...requested, ...attachStreamFlags(pod, container, requested) } : requested;
    if (!pod.spec?.nodeName) throw badRequest(`pod ${r.name} does not have a host assigned`);
    const target = await runningContainer(deps, pod, container);
    if (verb === 'attach' && !target.attach) {
      throw badRequest(
        `attach to container ${JSON.stringify(container)} is not supported by this node; use exec`,
      );
    }
    if (!isUpgrade(req)) throw badRequest('Upgrade request required');
    if (!wantsWebSocket(req)) {
      spdy.serve(req, res, flags, (streams) =>
        verb === 'exec'
          ? target.exec({ cmd: flags.command, tty: flags.tty, ...streams })
          : target.attach!({ tty: flags.tty, ...streams }),
      );
      return;
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!offered.includes(V5_PROTOCOL)) {
      throw badRequest(`the WebSocket subprotocol must be ${V5_PROTOCOL}; offered: [${offered.join(' ')}]`);
    }
    const conn = takeUpgrade(req);
    if (!conn) throw badRequest('Upgrade request required');
    wss.handleUpgrade(req, conn.socket, conn.head, (ws) => {
      const start = (o: Parameters<ResolvedContainer['exec']>[0]) =>
        verb === 'exec' ? target.exec(o) : target.attach!(o);
      runChannelSession(
        ws,
        flags,
        (streams) => start({ cmd: flags.command, tty: flags.tty, ...streams }),
        deps.log,
      );
    });
  };
  return {
    handler,
    closeAll: () => {
      for (const ws of wss.clients) ws.terminate();
      spdy.closeAll();
    },
  };
}
