/**
 * The active-deadline wake-up: the timers alone (long delays, re-arming, clearing), then wired to
 * real pod workers over a fake runtime holding one running container, with nothing else (no PLEG,
 * no resync) to make the worker sync: the deadline alone must fail the pod and stop its container.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types.js';
import type { ObjectClient } from '../controllers/client.js';
import type { ContainerStatus, ImageService, PodSandboxStatus, RuntimeService } from '../runtime/types.js';
import { MAX_TIMER_MS } from '../util/long-timeout.js';
import { ActiveDeadlineTimers } from './active-deadline-timers.js';
import { ContainerBackoff } from './backoff.js';
import type { KubeletDeps } from './kubelet-deps.js';
import { PodWorkers } from './pod-workers.js';
import { ProbeManager } from './prober/manager.js';
import { iso } from './status/pod-status.js';
import { StatusManager } from './status-manager.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ActiveDeadlineTimers', () => {
  test('wakes the pod at its deadline, once', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const woken: string[] = [];
      const timers = new ActiveDeadlineTimers({ wake: (uid) => woken.push(uid), now: () => 0 });
      timers.arm('u1', 5000);
      timers.arm('u1', 5000); // every sync arms again: an unchanged deadline keeps its timer
      mock.timers.tick(4999);
      assert.deepEqual(woken, []);
      mock.timers.tick(1);
      assert.deepEqual(woken, ['u1']);
      mock.timers.tick(60_000);
      assert.deepEqual(woken, ['u1']);
      assert.equal(timers.armedAt('u1'), undefined);
    } finally {
      mock.timers.reset();
    }
  });

  test('a deadline past 2^31-1 ms waits for it (a plain setTimeout would fire after 1 ms)', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const woken: string[] = [];
      const timers = new ActiveDeadlineTimers({ wake: (uid) => woken.push(uid), now: () => 0 });
      const thirtyDays = 30 * 86_400_000;
      timers.arm('u1', thirtyDays);
      mock.timers.tick(MAX_TIMER_MS);
      assert.deepEqual(woken, []);
      mock.timers.tick(thirtyDays - MAX_TIMER_MS - 1);
      assert.deepEqual(woken, []);
      mock.timers.tick(1);
      assert.deepEqual(woken, ['u1']);
    } finally {
      mock.timers.reset();
    }
  });

  test('a lowered deadline re-arms; undefined, clear and stop disarm', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const woken: string[] = [];
      const timers = new ActiveDeadlineTimers({ wake: (uid) => woken.push(uid), now: () => 0 });
      timers.arm('u1', 3_600_000);
      timers.arm('u1', 1000);
      assert.equal(timers.armedAt('u1'), 1000);
      mock.timers.tick(1000);
      assert.deepEqual(woken, ['u1']);
      timers.arm('u2', 1000);
      timers.arm('u2', undefined);
      timers.arm('u3', 1000);
      timers.clear('u3');
      timers.arm('u4', 1000);
      timers.stop();
      timers.stop();
      timers.arm('u5', 1000);
      mock.timers.tick(10_000);
      assert.deepEqual(woken, ['u1']);
    } finally {
      mock.timers.reset();
    }
  });

  test('a deadline already past wakes at once', async () => {
    const woken: string[] = [];
    const timers = new ActiveDeadlineTimers({ wake: (uid) => woken.push(uid), now: () => 10_000 });
    timers.arm('u1', 5000);
    await wait(5);
    assert.deepEqual(woken, ['u1']);
  });
});

/** A runtime holding one pod's sandbox and containers in memory; stopContainer records the grace. */
class FakeRuntime {
  readonly sandboxes: PodSandboxStatus[] = [];
  readonly containers: ContainerStatus[] = [];
  readonly stops: { id: string; grace: number }[] = [];
  started = 0;

  addRunningPod(pod: Pod, names: readonly string[]): void {
    const created = new Date().toISOString();
    const sandboxId = `sb-${this.sandboxes.length}`;
    this.sandboxes.push({
      id: sandboxId,
      metadata: {
        name: pod.metadata?.name ?? '',
        namespace: pod.metadata?.namespace ?? '',
        uid: pod.metadata?.uid ?? '',
        attempt: 0,
      },
      state: 'SANDBOX_READY',
      createdAt: created,
      ip: '10.244.0.9',
      hostname: pod.metadata?.name ?? '',
      pid: 1,
      labels: {},
      annotations: {},
    });
    for (const name of names) {
      this.containers.push({
        id: `${name}-1`,
        sandboxId,
        metadata: { name, attempt: 0 },
        image: 'busybox',
        state: 'CONTAINER_RUNNING',
        createdAt: created,
        startedAt: created,
        pid: 2,
        shimPid: 3,
        logPath: '/dev/null',
        labels: {},
        annotations: {},
      });
    }
  }

  async listPodSandbox(filter?: { podUid?: string }): Promise<PodSandboxStatus[]> {
    return this.sandboxes.filter((s) => !filter?.podUid || s.metadata.uid === filter.podUid);
  }
  async listContainers(filter?: { sandboxId?: string }): Promise<ContainerStatus[]> {
    return this.containers.filter((c) => !filter?.sandboxId || c.sandboxId === filter.sandboxId);
  }
  async stopContainer(id: string, grace: number): Promise<void> {
    this.stops.push({ id, grace });
    const c = this.containers.find((x) => x.id === id);
    if (c?.state === 'CONTAINER_RUNNING') {
      Object.assign(c, { state: 'CONTAINER_EXITED', exitCode: 143, reason: 'Error' });
      c.finishedAt = new Date().toISOString();
    }
  }
  async stopPodSandbox(id: string): Promise<void> {
    const s = this.sandboxes.find((x) => x.id === id);
    if (s) s.state = 'SANDBOX_NOTREADY';
  }
  async runPodSandbox(): Promise<string> {
    this.started++;
    throw new Error('the fake runtime starts nothing');
  }
  async createContainer(): Promise<string> {
    this.started++;
    throw new Error('the fake runtime starts nothing');
  }
  async removeContainer(): Promise<void> {}
  async removePodSandbox(): Promise<void> {}
}

/** Pods by namespace/name, with the status subresource: all the status manager and workers use. */
function fakeClient(pods: Map<string, Pod & KubeObject>): ObjectClient {
  const key = (ns: string, name: string) => `${ns}/${name}`;
  const client: Partial<ObjectClient> = {
    get: <T extends KubeObject>(_r: string, ns: string, name: string) =>
      structuredClone(pods.get(key(ns, name))) as T | undefined,
    updateStatus: <T extends KubeObject>(_r: string, obj: T) => {
      const current = pods.get(key(obj.metadata.namespace ?? '', obj.metadata.name ?? ''));
      if (current)
        pods.set(key(obj.metadata.namespace ?? '', obj.metadata.name ?? ''), structuredClone(obj) as never);
      return obj;
    },
    delete: () => {},
  };
  return client as ObjectClient;
}

describe('pod workers: the deadline alone fails a running pod', () => {
  let podsDir: string;
  let runtime: FakeRuntime;
  let workers: PodWorkers;
  let deps: KubeletDeps;
  let statusManager: StatusManager;
  let events: { reason: string; type: string; message: string }[];
  let apiPods: Map<string, Pod & KubeObject>;
  let pulls: number;

  beforeEach(() => {
    podsDir = mkdtempSync(join(tmpdir(), 'podbay-deadline-'));
    runtime = new FakeRuntime();
    events = [];
    apiPods = new Map();
    pulls = 0;
    const client = fakeClient(apiPods);
    statusManager = new StatusManager({ client, log: () => {} });
    const probes = new ProbeManager({
      exec: runtime as unknown as RuntimeService,
      podStatus: (uid) => statusManager.getPodStatus(uid),
      recordEvent: () => {},
      now: () => Date.now(),
    });
    deps = {
      runtime: runtime as unknown as RuntimeService,
      images: {
        pullImage: async () => {
          pulls++;
          throw new Error('the fake runtime has no images');
        },
      } as unknown as ImageService,
      client,
      events: { event: (_o, type, reason, message) => events.push({ type, reason, message }) },
      nodeName: 'node-1',
      hostIPs: ['192.168.1.10'],
      allocatable: {},
      nodeAllocatableMemoryBytes: 0,
      podsDir,
      lookups: { configMap: () => undefined, secret: () => undefined, services: () => [] },
      statusManager,
      probes,
      containerBackoff: new ContainerBackoff(),
      imageBackoff: new ContainerBackoff(),
      activeDeadlines: new ActiveDeadlineTimers({
        wake: (uid) => workers.syncNow(uid),
        now: () => Date.now(),
      }),
      log: () => {},
      now: () => new Date(),
      secondMs: 1000,
      podPidsLimit: 0,
      sandboxOptions: {},
    };
    workers = new PodWorkers(deps);
  });

  afterEach(async () => {
    deps.activeDeadlines.stop();
    workers.stop();
    await workers.idle();
    statusManager.stop();
    rmSync(podsDir, { recursive: true, force: true });
  });

  /** A pod running since the current second (startTime has second precision), or `startTime`. */
  function runningPod(activeDeadlineSeconds: number, startTime = iso(new Date())): Pod & KubeObject {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'sleeper',
        namespace: 'default',
        uid: 'u-sleeper',
        creationTimestamp: iso(new Date()),
      },
      spec: {
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 7,
        activeDeadlineSeconds,
        containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }],
      },
      status: { phase: 'Running', startTime } as PodStatus,
    } as Pod & KubeObject;
    apiPods.set('default/sleeper', structuredClone(pod));
    statusManager.seed(pod);
    runtime.addRunningPod(pod, ['app']);
    return pod;
  }

  async function until(what: string, cond: () => boolean, ms = 4000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await wait(20);
    }
  }

  test('at the deadline: Failed/DeadlineExceeded, one Normal event, container stopped with the pod grace', async () => {
    // 3 s: startTime has second precision, so the deadline is 2-3 s away, room for a slow first sync.
    const pod = runningPod(3);
    workers.updatePod(structuredClone(pod));
    await until('the first sync', () => deps.activeDeadlines.armedAt('u-sleeper') !== undefined);
    assert.equal(statusManager.getPodStatus('u-sleeper')?.phase, 'Running');
    assert.deepEqual(runtime.stops, []);

    // Nothing else happens to the pod: only the deadline can wake its worker.
    await until('the pod to be terminated', () => workers.stateOf('u-sleeper') === 'terminated', 8000);
    await workers.idle();
    const status = statusManager.getPodStatus('u-sleeper');
    assert.deepEqual(
      [status?.phase, status?.reason, status?.message],
      ['Failed', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline'],
    );
    assert.equal(status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 143);
    assert.deepEqual(runtime.stops, [{ id: 'app-1', grace: 7 }]);
    assert.equal(runtime.sandboxes[0]?.state, 'SANDBOX_NOTREADY');
    assert.deepEqual(
      events.filter((e) => e.reason === 'DeadlineExceeded'),
      [
        {
          type: 'Normal',
          reason: 'DeadlineExceeded',
          message: 'Pod was active on the node longer than the specified deadline',
        },
      ],
    );
    statusManager.flush();
    assert.equal(apiPods.get('default/sleeper')?.status?.reason, 'DeadlineExceeded');

    // restartPolicy Always does not restart it: later syncs start nothing.
    workers.updatePod(structuredClone(apiPods.get('default/sleeper') as Pod));
    workers.resyncAll();
    await wait(50);
    await workers.idle();
    assert.equal(runtime.started, 0);
    assert.equal(runtime.stops.length, 1);
    assert.equal(statusManager.getPodStatus('u-sleeper')?.phase, 'Failed');
  });

  test('a pod found past its deadline starts nothing: its crashed container is not restarted', async () => {
    const pod = runningPod(5, iso(new Date(Date.now() - 10_000)));
    const app = runtime.containers[0];
    assert.ok(app);
    Object.assign(app, {
      state: 'CONTAINER_EXITED',
      exitCode: 1,
      reason: 'Error',
      finishedAt: app.startedAt,
    });
    workers.updatePod(structuredClone(pod));
    await until('the pod to be terminated', () => workers.stateOf('u-sleeper') === 'terminated');
    await workers.idle();
    assert.deepEqual(
      [statusManager.getPodStatus('u-sleeper')?.phase, statusManager.getPodStatus('u-sleeper')?.reason],
      ['Failed', 'DeadlineExceeded'],
    );
    assert.equal(pulls, 0, 'no image pulled for a restart');
    assert.equal(runtime.started, 0);
    assert.equal(events.filter((e) => e.reason === 'DeadlineExceeded').length, 1);
  });

  test('a deadline lowered on the running pod applies', async () => {
    const pod = runningPod(3600);
    workers.updatePod(structuredClone(pod));
    await until('the first sync', () => deps.activeDeadlines.armedAt('u-sleeper') !== undefined);
    const startMs = Date.parse(pod.status?.startTime ?? '');
    assert.equal(deps.activeDeadlines.armedAt('u-sleeper'), startMs + 3_600_000);

    workers.updatePod({ ...structuredClone(pod), spec: { ...pod.spec!, activeDeadlineSeconds: 1 } });
    await until('the re-armed deadline', () => deps.activeDeadlines.armedAt('u-sleeper') === startMs + 1000);
    await until('the pod to be terminated', () => workers.stateOf('u-sleeper') === 'terminated', 8000);
    await workers.idle();
    assert.equal(statusManager.getPodStatus('u-sleeper')?.reason, 'DeadlineExceeded');
    assert.deepEqual(runtime.stops, [{ id: 'app-1', grace: 7 }]);
  });
});
