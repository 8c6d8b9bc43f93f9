/**
 * Builders for pod fixtures in the printer tests: short, readable pods whose status blocks look
 * like what the kubelet writes. Test-only (imported by *.test.ts files); no runtime user.
 */
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';

/** The fixed "now" every printer test uses. */
export const NOW = new Date('2026-11-25T09:00:00Z');

/** RFC 3339 time `ms` milliseconds before NOW. */
export const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export const running = (): ContainerState => ({ running: { startedAt: ago(HOUR) } });
export const waiting = (reason?: string): ContainerState => ({
  waiting: reason === undefined ? {} : { reason },
});
export const terminated = (exitCode: number, reason?: string, signal?: number): ContainerState => ({
  terminated: {
    exitCode,
    ...(reason === undefined ? {} : { reason }),
    ...(signal === undefined ? {} : { signal }),
  },
});

interface StatusOptions {
  ready?: boolean;
  restarts?: number;
  /** finishedAt of lastState.terminated, as ms before NOW. */
  lastFinishedAgo?: number;
  started?: boolean;
}

/** A container status; `name` defaults to "" as in upstream's make([]ContainerStatus, n). */
export function cs(state: ContainerState | undefined, opts: StatusOptions = {}, name = ''): ContainerStatus {
  const status: ContainerStatus = {
    name,
    image: 'img',
    imageID: '',
    ready: opts.ready ?? false,
    restartCount: opts.restarts ?? 0,
  };
  if (state) status.state = state;
  if (opts.started !== undefined) status.started = opts.started;
  if (opts.lastFinishedAgo !== undefined) {
    status.lastState = { terminated: { exitCode: 1, finishedAt: ago(opts.lastFinishedAgo) } };
  }
  return status;
}

export const condition = (type: string, status: 'True' | 'False', reason?: string): PodCondition => ({
  type,
  status,
  ...(reason === undefined ? {} : { reason }),
});

/** `n` containers named c0..c(n-1), or the given names. */
export const containers = (spec: number | readonly string[]): Container[] =>
  (typeof spec === 'number' ? Array.from({ length: spec }, (_, i) => `c${i}`) : spec).map((name) => ({
    name,
    image: 'img',
  }));

export const sidecar = (name: string): Container => ({ name, image: 'img', restartPolicy: 'Always' });

interface PodOptions {
  name?: string;
  containers?: Container[];
  initContainers?: Container[];
  phase?: string;
  reason?: string;
  conditions?: PodCondition[];
  initStatuses?: ContainerStatus[];
  statuses?: ContainerStatus[];
  deleting?: boolean;
}

export function pod(opts: PodOptions): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: opts.name ?? 'web',
      namespace: 'default',
      creationTimestamp: ago(3 * MIN),
      ...(opts.deleting ? { deletionTimestamp: ago(10 * SEC) } : {}),
    },
    spec: { containers: opts.containers ?? containers(1) },
    status: {},
  };
  if (opts.initContainers) p.spec!.initContainers = opts.initContainers;
  const status = p.status!;
  if (opts.phase !== undefined) status.phase = opts.phase;
  if (opts.reason !== undefined) status.reason = opts.reason;
  if (opts.conditions) status.conditions = opts.conditions;
  if (opts.initStatuses) status.initContainerStatuses = opts.initStatuses;
  if (opts.statuses) status.containerStatuses = opts.statuses;
  return p;
}
