/**
 * Fixtures for the status tests: a pod builder, runtime instances and `generate`, which runs
 * generatePodStatus and reads the READY/STATUS/RESTARTS cells through the API's pod table.
 */
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1';
import { podTable } from '../../../api/registry/pods/table.js';
import type { ObservedContainer, ObservedPod } from '../../observed.js';
import type { StartFailure } from '../container-statuses.js';
import { generatePodStatus } from '../pod-status.js';
import { NO_PROBE_RESULTS, type ProbeView } from '../probe-view.js';

export const NOW = new Date('2026-01-01T00:10:00Z');
export const SANDBOX = { id: 'sb1', ready: true, attempt: 0, ips: ['10.88.0.5'] };

export function pod(opts: { init?: Container[]; containers?: Container[]; restartPolicy?: string }): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      restartPolicy: opts.restartPolicy ?? 'Always',
      initContainers: opts.init,
      containers: opts.containers ?? [{ name: 'app', image: 'busybox' }],
    },
    status: { phase: 'Pending' },
  };
}

/** Pod.status is readonly in kubernetes-types; tests set the previous status directly. */
export function setStatus(p: Pod, status: PodStatus): void {
  (p as { status?: PodStatus }).status = status;
}

let seq = 0;
export function running(name: string, restartCount = 0): ObservedContainer {
  seq++;
  return {
    name,
    id: `${name}-${seq}`,
    state: 'running',
    createdAt: new Date(Date.parse('2026-01-01T00:01:00Z') + seq * 1000).toISOString(),
    startedAt: '2026-01-01T00:01:00.123456789Z',
    image: 'busybox',
    imageRef: 'podbay.local/busybox@sha256:1',
    restartCount,
  };
}
export function exited(
  name: string,
  exitCode: number,
  reason = exitCode === 0 ? 'Completed' : 'Error',
  restartCount = 0,
) {
  return {
    ...running(name, restartCount),
    state: 'exited' as const,
    exitCode,
    reason,
    finishedAt: '2026-01-01T00:02:00Z',
  };
}

export function generate(
  p: Pod,
  containers: ObservedContainer[],
  extra: {
    failures?: [string, StartFailure][];
    probes?: ProbeView;
    terminal?: boolean;
    sandbox?: boolean;
  } = {},
) {
  const observed: ObservedPod = { sandbox: extra.sandbox === false ? undefined : SANDBOX, containers };
  const status = generatePodStatus({
    pod: p,
    observed,
    probes: extra.probes ?? NO_PROBE_RESULTS,
    startFailures: new Map(extra.failures ?? []),
    podIsTerminal: extra.terminal ?? false,
    hostIPs: ['192.168.1.10'],
    now: NOW,
  });
  const withStatus: Pod = { ...p, status };
  const row = podTable.row(withStatus, NOW);
  return { status, ready: row[1], column: row[2], restarts: row[3] };
}

export const backoff = (name: string): [string, StartFailure] => [
  name,
  {
    reason: 'CrashLoopBackOff',
    message: `back-off 10s restarting failed container=${name} pod=p_default(u1)`,
  },
];
