/**
 * Test wiring for the batch controllers against the real registry and an in-memory SQLite
 * store (every write defaulted and validated as kubectl's would be), with a clock the test
 * moves by hand and helpers that play the kubelet's part on pod status.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { createStrategies } from '../../../api/registry/catalog.js';
import { Registry } from '../../../api/registry/registry.js';
import type { KubeObject } from '../../../api/types.js';
import { Store } from '../../../store/sqlite-store.js';
import type { ControllerDeps } from '../../client.js';
import { FakeEventRecorder } from '../../testing/fake-events.js';
import { ManualClock } from '../../testing/harness.js';
import { JobController } from '../controller.js';

export interface QuietController {
  start(): void;
  stop(): void;
  isQuiet(): boolean;
}

export interface RegistryHarness {
  store: Store;
  registry: Registry;
  events: FakeEventRecorder;
  clock: ManualClock;
  deps: ControllerDeps;
  /** Starts the controllers; `close` stops them and closes the store. */
  run(...controllers: QuietController[]): void;
  /** Lets watch events and queued keys run until every controller is quiet (bounded). */
  settle(): Promise<void>;
  close(): void;
}

export function newRegistryHarness(): RegistryHarness {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:30Z'));
  const store = Store.open({ path: ':memory:' });
  const registry = new Registry({ store, strategies: createStrategies({ store }), clock });
  registry.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const events = new FakeEventRecorder();
  const deps: ControllerDeps = { client: registry, events, clock, log: () => {} };
  let running: QuietController[] = [];
  return {
    store,
    registry,
    events,
    clock,
    deps,
    run(...controllers) {
      running = controllers;
      for (const c of controllers) c.start();
    },
    async settle() {
      let quiet = 0;
      for (let i = 0; i < 5000; i++) {
        await new Promise<void>((r) => setImmediate(r));
        quiet = running.every((c) => c.isQuiet()) ? quiet + 1 : 0;
        if (quiet >= 5) return;
      }
      throw new Error('settle: controllers still busy after 5000 ticks');
    },
    close() {
      for (const c of running) c.stop();
      store.close();
    },
  };
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Plays the kubelet: moves a pod to `phase` with a container state to match (terminated with
 * exit code 0 / 1 for Succeeded / Failed, finishedAt = the clock's now).
 */
export function setPodPhase(
  h: RegistryHarness,
  pod: Pod & KubeObject,
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed',
  opts: { ready?: boolean; restartCount?: number } = {},
): Pod & KubeObject {
  const cur = h.registry.get<Pod & KubeObject>('pods', pod.metadata.namespace!, pod.metadata.name!)!;
  const now = iso(h.clock.now());
  const name = cur.spec?.containers?.[0]?.name ?? 'c';
  const image = cur.spec?.containers?.[0]?.image ?? '';
  const terminated = phase === 'Succeeded' || phase === 'Failed';
  const status = structuredClone(cur.status ?? {});
  status.phase = phase;
  status.conditions = [{ type: 'Ready', status: opts.ready ? 'True' : 'False', lastTransitionTime: now }];
  status.containerStatuses = [
    {
      name,
      image,
      imageID: '',
      ready: !!opts.ready,
      restartCount: opts.restartCount ?? 0,
      state: terminated
        ? {
            terminated: {
              exitCode: phase === 'Succeeded' ? 0 : 1,
              reason: phase === 'Succeeded' ? 'Completed' : 'Error',
              startedAt: now,
              finishedAt: now,
            },
          }
        : { running: { startedAt: now } },
    },
  ];
  return h.registry.updateStatus('pods', { ...cur, status });
}

/** The pods of a Job (by its job-name label), oldest first, including those being deleted. */
export function podsOfJob(h: RegistryHarness, jobName: string): (Pod & KubeObject)[] {
  return h.registry.list<Pod & KubeObject>('pods', {
    namespace: 'default',
    labelSelector: `batch.kubernetes.io/job-name=${jobName}`,
  });
}

export interface JobControllerHarness extends RegistryHarness {
  /** Enqueues every Job again, as the periodic resync (or a delayed requeue) would, and settles. */
  resyncAll(): Promise<void>;
}

/** A registry harness running one JobController, without periodic resync (tests call resyncAll). */
export function startJobController(): JobControllerHarness {
  const h = newRegistryHarness();
  const controller = new JobController(h.deps, { resyncPeriodMs: 0 });
  h.run(controller);
  return {
    ...h,
    async resyncAll() {
      controller.resync();
      await h.settle();
    },
  };
}
