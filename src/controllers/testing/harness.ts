/**
 * Test wiring for controllers: a FakeClient, a recording event recorder, a clock the test
 * moves by hand, and helpers that play the kubelet's part (marking pods Running and Ready
 * through updateStatus) so rollouts can progress step by step.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { FakeClient } from './fake-client.js';
import { FakeEventRecorder } from './fake-events.js';
import { type Quiet, settle } from './settle.js';

export class ManualClock {
  #ms: number;
  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.#ms = start;
  }
  now = (): Date => new Date(this.#ms);
  advance(seconds: number): void {
    this.#ms += seconds * 1000;
  }
}

export interface Harness {
  client: FakeClient;
  events: FakeEventRecorder;
  clock: ManualClock;
  deps: ControllerDeps;
  logs: string[];
  /** Runs controllers until quiet. */
  settle(): Promise<void>;
  /** Starts the controllers and returns a stop function. */
  run(...controllers: (Quiet & { start(): void; stop(): void })[]): () => void;
}

export function newHarness(): Harness {
  const clock = new ManualClock();
  const client = new FakeClient({ clock });
  const events = new FakeEventRecorder();
  const logs: string[] = [];
  const deps: ControllerDeps = {
    client,
    events,
    clock,
    log: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
  };
  let running: Quiet[] = [];
  return {
    client,
    events,
    clock,
    deps,
    logs,
    settle: () => settle(client, running),
    run(...controllers) {
      running = controllers;
      for (const c of controllers) c.start();
      return () => {
        for (const c of controllers) c.stop();
      };
    },
  };
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

let ipCounter = 10;

/** Plays the kubelet: the pod is scheduled, Running, has an IP, and Ready (or not). */
export function setPodReady(h: Harness, pod: Pod & KubeObject, ready = true): Pod & KubeObject {
  const cur = h.client.get<Pod & KubeObject>('pods', pod.metadata.namespace!, pod.metadata.name!)!;
  const status = structuredClone(cur.status ?? {});
  status.phase = 'Running';
  status.podIP ??= `10.1.0.${ipCounter++}`;
  status.podIPs = [{ ip: status.podIP }];
  const old = status.conditions?.find((c) => c.type === 'Ready');
  const want = ready ? 'True' : 'False';
  const lastTransitionTime = old && old.status === want ? old.lastTransitionTime : iso(h.clock.now());
  status.conditions = [{ type: 'Ready', status: want, lastTransitionTime }];
  return h.client.updateStatus('pods', { ...cur, status });
}

/** Marks every pod matching `filter` Ready. */
export function readyAll(h: Harness, filter: (p: Pod & KubeObject) => boolean = () => true): void {
  for (const p of h.client.list<Pod & KubeObject>('pods'))
    if (filter(p) && !p.metadata.deletionTimestamp) setPodReady(h, p);
}

export function createNamespace(h: Harness, name: string): KubeObject {
  return h.client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
