/**
 * The decision modules together, the way the pod workers will drive them: computePodActions says
 * what to start, the "runtime" below records it, backoff.ts holds restarts, and generatePodStatus
 * plus the API's table printer say what `kubectl get pods` shows after each sync.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { podTable } from '../api/registry/pods/table.js';
import { backoffKey, ContainerBackoff } from './backoff.js';
import { hashContainer } from './container-hash.js';
import type { ObservedContainer, ObservedPod } from './observed.js';
import { computePodActions } from './pod-actions.js';
import { crashLoopBackOff } from './start-failures.js';
import type { StartFailure } from './status/container-statuses.js';
import { generatePodStatus } from './status/pod-status.js';
import { NO_PROBE_RESULTS } from './status/probe-view.js';

test('init containers, then a crash-looping app on the back-off schedule', () => {
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'default', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      restartPolicy: 'Always',
      initContainers: [
        { name: 'init-a', image: 'busybox' },
        { name: 'init-b', image: 'busybox' },
      ],
      containers: [{ name: 'app', image: 'busybox' }],
    },
  };
  const spec = (name: string) =>
    [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
  const containers: ObservedContainer[] = [];
  let sandbox: ObservedPod['sandbox'];
  let nowMs = Date.parse('2026-01-01T00:00:00Z');
  const backoff = new ContainerBackoff({ baseMs: 1000 });
  const failures = new Map<string, StartFailure>();
  let current = pod;
  let seq = 0;

  const start = (name: string) => {
    const prev = containers.filter((c) => c.name === name);
    containers.push({
      name,
      id: `${name}-${++seq}`,
      state: 'running',
      createdAt: new Date(nowMs + seq).toISOString(),
      startedAt: new Date(nowMs).toISOString(),
      image: 'busybox',
      imageRef: 'busybox@sha256:0',
      restartCount: prev.length,
      specHash: hashContainer(spec(name) ?? { name }),
    });
  };
  const exit = (name: string, exitCode: number) => {
    const c = [...containers].reverse().find((x) => x.name === name && x.state === 'running');
    assert.ok(c, `${name} is running`);
    Object.assign(c, { state: 'exited', exitCode, finishedAt: new Date(nowMs).toISOString() });
  };
  /** One pod worker sync: act on computePodActions, then publish the status. */
  const sync = (): string => {
    const observed: ObservedPod = { sandbox, containers };
    const actions = computePodActions(current, observed);
    if (actions.createSandbox)
      sandbox = { id: 'sb', ready: true, attempt: actions.attempt, ips: ['10.88.0.9'] };
    for (const name of [...actions.initContainersToStart, ...actions.containersToStart]) {
      const last = [...containers].reverse().find((c) => c.name === name);
      if (last?.state === 'exited') {
        const key = backoffKey({ name: 'web', namespace: 'default', uid: 'u1' }, name, last.specHash ?? '');
        const verdict = backoff.check(key, Date.parse(last.finishedAt ?? ''), nowMs);
        if (verdict.inBackoff) {
          failures.set(name, crashLoopBackOff(verdict.periodMs, name, current));
          continue;
        }
      }
      failures.delete(name);
      start(name);
    }
    const status = generatePodStatus({
      pod: current,
      observed: { sandbox, containers },
      probes: NO_PROBE_RESULTS,
      startFailures: failures,
      podIsTerminal: false,
      hostIPs: ['192.168.1.10'],
      now: new Date(nowMs),
    });
    current = { ...current, status };
    return String(podTable.row(current, new Date(nowMs))[2]);
  };

  assert.equal(sync(), 'Init:0/2', 'sandbox created, init-a started');
  exit('init-a', 0);
  assert.equal(sync(), 'Init:1/2', 'init-b started');
  exit('init-b', 0);
  assert.equal(sync(), 'Running', 'app started');
  assert.equal(current.status?.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');

  exit('app', 1);
  assert.equal(sync(), 'Running', 'first crash: restarted at once');
  assert.equal(current.status?.containerStatuses?.[0]?.restartCount, 1);

  nowMs += 100;
  exit('app', 1);
  assert.equal(sync(), 'CrashLoopBackOff');
  assert.equal(
    current.status?.containerStatuses?.[0]?.state?.waiting?.message,
    'back-off 1s restarting failed container=app pod=web_default(u1)',
  );
  nowMs += 999;
  assert.equal(sync(), 'CrashLoopBackOff', 'still within the 1 s period');
  nowMs += 1;
  assert.equal(sync(), 'Running', 'period over: restarted');
  nowMs += 100;
  exit('app', 1);
  sync();
  assert.equal(
    current.status?.containerStatuses?.[0]?.state?.waiting?.message,
    'back-off 2s restarting failed container=app pod=web_default(u1)',
  );
  assert.equal(current.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 1);
  assert.equal(current.status?.containerStatuses?.[0]?.restartCount, 2);
});
