/**
 * The prober's answers the status generator needs, as kubelet's prober manager supplies them in
 * UpdatePodStatus: `started` and `ready` for each container status. Results are keyed by runtime
 * container id, so a restarted container starts with no result (and a fresh readiness Failure).
 */
import type { Container, ContainerStatus } from 'kubernetes-types/core/v1';
import { isRestartableInitContainer } from '../observed.js';

export type ProbeResult = 'Success' | 'Failure';

export interface ProbeView {
  /** Latest readiness result for the container id, undefined before the first probe ran. */
  readiness(containerId: string): ProbeResult | undefined;
  /** Latest startup result for the container id. */
  startup(containerId: string): ProbeResult | undefined;
}

/** A view for pods without probe workers (tests, pods being torn down). */
export const NO_PROBE_RESULTS: ProbeView = { readiness: () => undefined, startup: () => undefined };

/**
 * Sets `started` and `ready` on one status in place (prober_manager.go UpdatePodStatus):
 *  - started: running and (no startupProbe, or its result is Success);
 *  - ready: started, running and (no readinessProbe, or its result is Success);
 *  - a regular init container that exited 0 is ready; it never reports started while exited.
 * `runtimeId` is the bare runtime id (the API's containerID without the scheme).
 */
export function applyProbeResults(
  spec: Container,
  status: ContainerStatus,
  runtimeId: string | undefined,
  probes: ProbeView,
  isInit: boolean,
): void {
  const running = status.state?.running !== undefined;
  let started = false;
  if (running && runtimeId) {
    const startup = probes.startup(runtimeId);
    started = startup !== undefined ? startup === 'Success' : !spec.startupProbe;
  }
  status.started = started;
  if (isInit && !isRestartableInitContainer(spec)) {
    status.ready = status.state?.terminated?.exitCode === 0;
    return;
  }
  if (!started || !runtimeId) {
    status.ready = false;
    return;
  }
  const readiness = probes.readiness(runtimeId);
  status.ready = readiness !== undefined ? readiness === 'Success' : !spec.readinessProbe;
}
