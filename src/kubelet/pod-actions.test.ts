import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { hashContainer } from './container-hash.js';
import type { ObservedContainer, ObservedPod } from './observed.js';
import {
  computePodActions,
  type ProbeResultsView,
  terminationGracePeriodSeconds,
  terminationStages,
} from './pod-actions.js';

const READY = { id: 'sb', ready: true, attempt: 0, ips: ['10.0.0.2'] };

function pod(init: Container[], containers: Container[], restartPolicy = 'Always'): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u' },
    spec: { restartPolicy, initContainers: init, containers },
  };
}
const c = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'busybox', ...extra });
const sidecar = (name: string, extra: Partial<Container> = {}) =>
  c(name, { restartPolicy: 'Always', ...extra });

let t = 0;
function inst(name: string, state: ObservedContainer['state'], exitCode?: number): ObservedContainer {
  t++;
  return {
    name,
    id: `${name}#${t}`,
    state,
    exitCode,
    createdAt: new Date(1_700_000_000_000 + t * 1000).toISOString(),
    image: 'busybox',
    imageRef: 'busybox',
    restartCount: 0,
  };
}
const observed = (
  containers: ObservedContainer[],
  sandbox: ObservedPod['sandbox'] | null = READY,
): ObservedPod => ({
  sandbox: sandbox ?? undefined,
  containers,
});

describe('computePodActions: sandbox', () => {
  test('new pod: create sandbox and start the first init container', () => {
    const a = computePodActions(pod([c('i1'), c('i2')], [c('app')]), observed([], null));
    assert.deepEqual(
      {
        kill: a.killPod,
        create: a.createSandbox,
        attempt: a.attempt,
        init: a.initContainersToStart,
        start: a.containersToStart,
      },
      { kill: true, create: true, attempt: 0, init: ['i1'], start: [] },
    );
  });
  test('new pod without init containers starts all containers together', () => {
    const a = computePodActions(pod([], [c('a'), c('b')]), observed([], null));
    assert.deepEqual(a.containersToStart, ['a', 'b']);
  });
  test('dead sandbox of a run-once pod whose containers ran: no new sandbox', () => {
    const dead = { ...READY, ready: false };
    const a = computePodActions(pod([], [c('a')], 'Never'), observed([inst('a', 'exited', 0)], dead));
    assert.equal(a.createSandbox, false);
    assert.equal(a.killPod, true);
  });
  test('dead sandbox, OnFailure: succeeded containers are not rerun', () => {
    const dead = { ...READY, ready: false };
    const a = computePodActions(
      pod([], [c('a'), c('b')], 'OnFailure'),
      observed([inst('a', 'exited', 0), inst('b', 'exited', 1)], dead),
    );
    assert.deepEqual([a.createSandbox, a.attempt, a.containersToStart], [true, 1, ['b']]);
  });
});

describe('computePodActions: init containers', () => {
  const p = pod([c('i1'), c('i2')], [c('app')]);
  const cases: {
    name: string;
    pod?: Pod;
    obs: ObservedContainer[];
    init: string[];
    start: string[];
    kill?: boolean;
  }[] = [
    { name: 'first init running: wait', obs: [inst('i1', 'running')], init: [], start: [] },
    { name: 'first done: start the second', obs: [inst('i1', 'exited', 0)], init: ['i2'], start: [] },
    { name: 'first failed: restart it', obs: [inst('i1', 'exited', 1)], init: ['i1'], start: [] },
    {
      name: 'all done: start apps',
      obs: [inst('i1', 'exited', 0), inst('i2', 'exited', 0)],
      init: [],
      start: ['app'],
    },
    {
      name: 'failed under Never: kill the pod',
      pod: pod([c('i1')], [c('app')], 'Never'),
      obs: [inst('i1', 'exited', 1)],
      init: [],
      start: [],
      kill: true,
    },
    { name: 'created but never started: start again', obs: [inst('i1', 'created')], init: ['i1'], start: [] },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const a = computePodActions(tc.pod ?? p, observed(tc.obs));
      assert.deepEqual(a.initContainersToStart, tc.init);
      assert.deepEqual(a.containersToStart, tc.start);
      assert.equal(a.killPod, tc.kill ?? false);
    });
  }
});

describe('computePodActions: native sidecars', () => {
  const p = pod([sidecar('proxy'), sidecar('log', { startupProbe: {} }), c('setup')], [c('app')]);
  test('a running sidecar lets the next init container start', () => {
    const a = computePodActions(p, observed([inst('proxy', 'running')]));
    assert.deepEqual(a.initContainersToStart, ['log']);
  });
  test('a sidecar with a startup probe holds the next one until the probe passes', () => {
    const proxy = inst('proxy', 'running');
    const log = inst('log', 'running');
    assert.deepEqual(computePodActions(p, observed([proxy, log])).initContainersToStart, []);
    const passed: ProbeResultsView = {
      liveness: () => undefined,
      startup: (id) => (id === log.id ? 'Success' : undefined),
    };
    assert.deepEqual(computePodActions(p, observed([proxy, log]), passed).initContainersToStart, ['setup']);
    const failed: ProbeResultsView = { liveness: () => undefined, startup: () => 'Failure' };
    const a = computePodActions(p, observed([proxy, log]), failed);
    assert.deepEqual(a.initContainersToStart, ['log']);
    assert.equal(a.containersToKill[0]?.message, 'Init container log failed startup probe');
  });
  test('after initialization an exited sidecar restarts even under restartPolicy Never', () => {
    const never = pod([sidecar('proxy'), c('setup')], [c('app')], 'Never');
    const a = computePodActions(
      never,
      observed([inst('proxy', 'exited', 1), inst('setup', 'exited', 0), inst('app', 'running')]),
    );
    assert.deepEqual(a.initContainersToStart, ['proxy']);
    assert.deepEqual(a.containersToStart, []);
    assert.equal(a.killPod, false);
  });
  test('app finished under Never: the pod (with its sidecars) is killed', () => {
    const never = pod([sidecar('proxy')], [c('app')], 'Never');
    const a = computePodActions(never, observed([inst('proxy', 'running'), inst('app', 'exited', 0)]));
    assert.equal(a.killPod, true);
    assert.deepEqual(a.initContainersToStart, []);
  });
  test('probe grace period overrides the pod one for probe kills only', () => {
    const p = { ...pod([], [c('app')]), spec: { containers: [c('app')], terminationGracePeriodSeconds: 30 } };
    const probed = c('app', { livenessProbe: { terminationGracePeriodSeconds: 5 } });
    assert.equal(terminationGracePeriodSeconds(p, probed, 'LivenessProbe'), 5);
    assert.equal(terminationGracePeriodSeconds(p, probed, ''), 30);
    const deleting = { ...p, metadata: { deletionGracePeriodSeconds: 0 } };
    assert.equal(terminationGracePeriodSeconds(deleting, probed, 'LivenessProbe'), 0);
  });
  test('termination order: apps together, then sidecars in reverse', () => {
    assert.deepEqual(terminationStages(pod([sidecar('a'), c('x'), sidecar('b')], [c('m1'), c('m2')])), [
      ['m1', 'm2'],
      ['b'],
      ['a'],
    ]);
  });
});

describe('computePodActions: regular containers', () => {
  const app = c('app', { livenessProbe: {} });
  test('liveness failure: kill with reason, restart per policy', () => {
    const running = inst('app', 'running');
    const failing: ProbeResultsView = { liveness: () => 'Failure', startup: () => undefined };
    const always = computePodActions(pod([], [app]), observed([running]), failing);
    assert.deepEqual(always.containersToKill, [
      {
        id: running.id,
        name: 'app',
        message: 'Container app failed liveness probe, will be restarted',
        reason: 'LivenessProbe',
      },
    ]);
    assert.deepEqual(always.containersToStart, ['app']);
    const never = computePodActions(pod([], [app], 'Never'), observed([running]), failing);
    assert.equal(never.containersToKill[0]?.message, 'Container app failed liveness probe');
    assert.equal(never.killPod, true, 'nothing left running');
  });
  test('spec hash change restarts even under Never', () => {
    const running = { ...inst('app', 'running'), specHash: hashContainer(c('app', { image: 'old' })) };
    const a = computePodActions(
      pod([], [app, c('other')], 'Never'),
      observed([running, inst('other', 'running')]),
    );
    assert.equal(a.containersToKill[0]?.message, 'Container app definition changed, will be restarted');
    assert.deepEqual(a.containersToStart, ['app']);
    const same = { ...running, specHash: hashContainer(app) };
    assert.deepEqual(computePodActions(pod([], [app]), observed([same])).containersToKill, []);
  });
  const restartCases: [string, number, string[]][] = [
    ['Always', 0, ['app']],
    ['Always', 1, ['app']],
    ['OnFailure', 0, []],
    ['OnFailure', 1, ['app']],
    ['Never', 1, []],
  ];
  for (const [policy, code, want] of restartCases) {
    test(`exited ${code} under ${policy}`, () => {
      const a = computePodActions(
        pod([], [c('app'), c('keep')], policy),
        observed([inst('app', 'exited', code), inst('keep', 'running')]),
      );
      assert.deepEqual(a.containersToStart, want);
    });
  }
  test('a deleted pod restarts nothing', () => {
    const p = pod([], [c('app')]);
    const deleting: Pod = { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    assert.deepEqual(computePodActions(deleting, observed([inst('app', 'exited', 1)])).containersToStart, []);
  });
});
