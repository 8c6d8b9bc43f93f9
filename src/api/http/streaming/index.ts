/**
 * The pod streaming subresources for a node that runs pods: pods/log, exec, attach and
 * portforward, keyed as ApiServerOptions.subresources expects. They replace
 * unscheduledPodSubresources (and keep its container-name validation).
 *
 * Wiring (engine.ts):
 *   const streaming = createStreamingSubresources({ getPod, backend, clock, log });
 *   new ApiServer({ ..., subresources: streaming.handlers });
 *   const unbridge = bridgeUpgrades(api.server);   // WebSocket/SPDY upgrades reach the handlers
 *   stop: streaming.close(); unbridge();            // before api.close()
 */
import type { SubresourceHandler } from '../resource-handler.js';
import { podExecHandler } from './exec-handler.js';
import { podLogHandler } from './log-handler.js';
import { PortForwardSessions, podPortForwardHandler } from './portforward-handler.js';
import type { StreamingDeps } from './streaming-deps.js';

export type { ContainerAttempt, ContainerResolution, PodStreamingBackend } from './backend.js';
export type { StreamingDeps } from './streaming-deps.js';
export { bridgeUpgrades } from './upgrade-bridge.js';

export interface StreamingSubresources {
  handlers: Map<string, SubresourceHandler>;
  /** Ends open exec and port-forward sessions (upgraded sockets the HTTP server no longer tracks). */
  close(): void;
}

export function createStreamingSubresources(deps: StreamingDeps): StreamingSubresources {
  const sessions = new PortForwardSessions();
  const exec = podExecHandler(deps, 'exec');
  const attach = podExecHandler(deps, 'attach');
  return {
    handlers: new Map([
      ['pods/log', podLogHandler(deps)],
      ['pods/exec', exec.handler],
      ['pods/attach', attach.handler],
      ['pods/portforward', podPortForwardHandler(deps, sessions)],
    ]),
    close() {
      exec.closeAll();
      attach.closeAll();
      sessions.closeAll();
    },
  };
}
