/**
 * Probe kinds, results and upstream's defaults (SetDefaults_Probe): timeoutSeconds 1,
 * periodSeconds 10, successThreshold 1, failureThreshold 3, initialDelaySeconds 0. The API server
 * applies them on create too; the prober applies them again so a spec read from anywhere behaves
 * the same.
 */
import type { Probe } from 'kubernetes-types/core/v1';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** What one probe run concluded (probe.Result): Warning counts as success but is reported. */
export type ProbeOutcome = 'Success' | 'Failure' | 'Warning';

export interface ProbeRunResult {
  readonly outcome: ProbeOutcome;
  /** Handler output: response body, command output, or the failure text kubelet reports. */
  readonly output: string;
}

export interface ResolvedProbe {
  readonly probe: Probe;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

/** The capitalised name kubelet uses in events: `Liveness probe failed: ...`. */
export const PROBE_EVENT_NAME: Readonly<Record<ProbeType, string>> = {
  liveness: 'Liveness',
  readiness: 'Readiness',
  startup: 'Startup',
};

/** kubelet's User-Agent for HTTP and gRPC probes (major.minor of the emulated kubelet). */
export const PROBE_USER_AGENT = 'kube-probe/1.32';

/** Bytes of a response body or command output kept (maxRespBodyLength / maxReadLength). */
export const MAX_PROBE_OUTPUT_BYTES = 10 * 1024;

export function resolveProbe(probe: Probe): ResolvedProbe {
  const positive = (v: number | undefined, fallback: number) => (v !== undefined && v > 0 ? v : fallback);
  return {
    probe,
    initialDelaySeconds: Math.max(0, probe.initialDelaySeconds ?? 0),
    periodSeconds: positive(probe.periodSeconds, 10),
    timeoutSeconds: positive(probe.timeoutSeconds, 1),
    successThreshold: positive(probe.successThreshold, 1),
    failureThreshold: positive(probe.failureThreshold, 3),
  };
}
