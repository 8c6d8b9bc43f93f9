import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KubeObject } from '../../api/types.js';
import { DEFAULT_RESOURCES, FakeClient } from '../testing/fake-client.js';
import { FakeEventRecorder } from '../testing/fake-events.js';
import { type Harness, ManualClock, setPodReady } from '../testing/harness.js';
import { settle } from '../testing/settle.js';
import { DisruptionController } from './controller.js';

type Pdb = PodDisruptionBudget & KubeObject;

const running: DisruptionController[] = [];
afterEach(() => {
  for (const c of running.splice(0)) c.stop();
});

function harness(): Harness & { controller: DisruptionController } {
  const clock = new ManualClock();
  const client = new FakeClient({
    clock,
    resources: [
      ...DEFAULT_RESOURCES,
      { resource: 'poddisruptionbudgets', namespaced: true, group: 'policy', kind: 'PodDisruptionBudget' },
    ],
  });
  const events = new FakeEventRecorder();
  const logs: string[] = [];
  const deps = {
    client,
    events,
    clock,
    log: (m: string, f?: unknown) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
  };
  const controller = new DisruptionController(deps, { resyncPeriodMs: 0 });
  running.push(controller);
  const h = {
    client,
    events,
    clock,
    deps,
    logs,
    controller,
    settle: () => settle(client, [controller]),
    run: () => () => {},
  };
  client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
  return h;
}

function owner(
  h: Harness,
  resource: string,
  kind: string,
  name: string,
  replicas: number,
  extra: object = {},
) {
  return h.client.create(resource, {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'ns', ...extra },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  });
}

const ref = (o: KubeObject) => ({
  apiVersion: o.apiVersion!,
  kind: o.kind!,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  controller: true,
});

function pod(
  h: Harness,
  name: string,
  labels: Record<string, string>,
  ready: boolean,
  ownerObj?: KubeObject,
) {
  const p = h.client.create<Pod & KubeObject>('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', labels, ...(ownerObj ? { ownerReferences: [ref(ownerObj)] } : {}) },
    spec: { containers: [{ name: 'c', image: 'i' }] },
  });
  return setPodReady(h, p, ready);
}

function pdb(h: Harness, name: string, spec: PodDisruptionBudget['spec']): Pdb {
  return h.client.create<Pdb>('poddisruptionbudgets', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'ns' },
    spec,
  });
}

const statusOf = (h: Harness, name: string) => h.client.get<Pdb>('poddisruptionbudgets', 'ns', name)!.status!;

describe('DisruptionController', () => {
  test('integer minAvailable: expected = selected pods, allowed = healthy - desired, SufficientPods', async () => {
    const h = harness();
    const rs = owner(h, 'replicasets', 'ReplicaSet', 'web', 3);
    for (const n of ['a', 'b', 'c']) pod(h, `web-${n}`, { app: 'web' }, true, rs);
    pdb(h, 'web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    h.controller.start();
    await h.settle();
    const s = statusOf(h, 'web');
    assert.deepEqual(
      [s.expectedPods, s.currentHealthy, s.desiredHealthy, s.disruptionsAllowed, s.observedGeneration],
      [3, 3, 2, 1, 1],
    );
    const cond = s.conditions?.find((c) => c.type === 'DisruptionAllowed');
    assert.equal(cond?.status, 'True');
    assert.equal(cond?.reason, 'SufficientPods');
    // A pod going unready takes the allowance away.
    setPodReady(h, h.client.get<Pod & KubeObject>('pods', 'ns', 'web-a')!, false);
    await h.settle();
    const s2 = statusOf(h, 'web');
    assert.deepEqual([s2.currentHealthy, s2.disruptionsAllowed], [2, 0]);
    assert.equal(s2.conditions?.find((c) => c.type === 'DisruptionAllowed')?.reason, 'InsufficientPods');
  });

  test('percentages and maxUnavailable resolve through the Deployment that owns the ReplicaSet', async () => {
    const h = harness();
    const d = owner(h, 'deployments', 'Deployment', 'web', 4);
    const rs = owner(h, 'replicasets', 'ReplicaSet', 'web-1', 4, { ownerReferences: [ref(d)] });
    // Only three of the four pods exist: the scale, not the pod count, is the denominator.
    for (const n of ['a', 'b', 'c']) pod(h, `web-${n}`, { app: 'web' }, true, rs);
    pdb(h, 'min', { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } });
    pdb(h, 'max', { maxUnavailable: '30%', selector: { matchLabels: { app: 'web' } } });
    h.controller.start();
    await h.settle();
    const min = statusOf(h, 'min');
    assert.deepEqual(
      [min.expectedPods, min.desiredHealthy, min.currentHealthy, min.disruptionsAllowed],
      [4, 2, 3, 1],
    );
    // maxUnavailable 30% of 4 rounds up to 2: desired 2.
    const max = statusOf(h, 'max');
    assert.deepEqual([max.expectedPods, max.desiredHealthy, max.disruptionsAllowed], [4, 2, 1]);
  });

  test('no pods: NoPods event, nothing allowed; an empty selector selects every pod, a missing one none', async () => {
    const h = harness();
    pod(h, 'lone', { app: 'x' }, true);
    pdb(h, 'none', { minAvailable: 0, selector: { matchLabels: { app: 'nothing' } } });
    pdb(h, 'all', { minAvailable: 0, selector: {} });
    pdb(h, 'nil', { minAvailable: 0 });
    h.controller.start();
    await h.settle();
    assert.deepEqual([statusOf(h, 'none').expectedPods, statusOf(h, 'none').disruptionsAllowed], [0, 0]);
    assert.deepEqual([statusOf(h, 'all').expectedPods, statusOf(h, 'all').disruptionsAllowed], [1, 1]);
    assert.equal(statusOf(h, 'nil').expectedPods, 0);
    assert.ok(h.events.lines('NoPods').includes('Normal NoPods No matching pods found'));
  });

  test('a percentage over an unowned pod warns UnmanagedPods; an unknown controller fails safe (SyncFailed)', async () => {
    const h = harness();
    pod(h, 'lone', { app: 'x' }, true);
    pdb(h, 'pct', { minAvailable: '50%', selector: { matchLabels: { app: 'x' } } });
    pod(h, 'orphan', { app: 'y' }, true, {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc', namespace: 'ns', uid: 'u-rc' },
    });
    pdb(h, 'rc', { maxUnavailable: 1, selector: { matchLabels: { app: 'y' } } });
    h.controller.start();
    await h.settle();
    assert.equal(h.events.lines('UnmanagedPods').length > 0, true);
    const rc = statusOf(h, 'rc');
    const cond = rc.conditions?.find((c) => c.type === 'DisruptionAllowed');
    assert.equal(rc.disruptionsAllowed, 0);
    assert.equal(cond?.reason, 'SyncFailed');
    assert.equal(cond?.message, 'found no controllers for pod "orphan"');
  });

  test('an evicted pod recorded in disruptedPods is not healthy for 2 minutes, then NotDeleted', async () => {
    const h = harness();
    const rs = owner(h, 'replicasets', 'ReplicaSet', 'web', 3);
    for (const n of ['a', 'b', 'c']) pod(h, `web-${n}`, { app: 'web' }, true, rs);
    pdb(h, 'web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    h.controller.start();
    await h.settle();
    const cur = h.client.get<Pdb>('poddisruptionbudgets', 'ns', 'web')!;
    const at = h.clock
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    h.client.updateStatus('poddisruptionbudgets', {
      ...cur,
      status: { ...cur.status!, disruptionsAllowed: 1, disruptedPods: { 'web-a': at } },
    });
    await h.settle();
    const s = statusOf(h, 'web') as { currentHealthy: number; disruptedPods?: Record<string, string> };
    assert.equal(s.currentHealthy, 2);
    assert.deepEqual(s.disruptedPods, { 'web-a': at });
    h.clock.advance(121);
    h.controller.resync();
    await h.settle();
    const s2 = statusOf(h, 'web') as { currentHealthy: number; disruptedPods?: Record<string, string> };
    assert.equal(s2.currentHealthy, 3);
    assert.equal(s2.disruptedPods, undefined);
    assert.equal(h.events.lines('NotDeleted').length, 1);
  });

  test('a DisruptionTarget condition left on a pod that was not deleted goes False after 2 minutes', async () => {
    const h = harness();
    const name = pod(h, 'kept', { app: 'kept' }, true).metadata.name!;
    h.controller.start();
    const cur = h.client.get<Pod & KubeObject>('pods', 'ns', name)!;
    const at = h.clock
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    h.client.updateStatus('pods', {
      ...cur,
      status: {
        ...cur.status,
        conditions: [
          ...(cur.status?.conditions ?? []),
          {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'EvictionByEvictionAPI',
            message: 'Eviction API: evicting',
            lastTransitionTime: at,
          },
        ],
      },
    });
    await h.settle();
    const cond = () =>
      h.client
        .get<Pod & KubeObject>('pods', 'ns', name)!
        .status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(cond()?.status, 'True', 'not stale yet');
    h.clock.advance(121);
    // The delayed requeue fires on a real timer; a pod event brings the check forward.
    const again = h.client.get<Pod & KubeObject>('pods', 'ns', name)!;
    h.client.update('pods', {
      ...again,
      metadata: { ...again.metadata, labels: { app: 'kept', touched: 'y' } },
    });
    await h.settle();
    assert.deepEqual([cond()?.status, cond()?.reason], ['False', 'EvictionByEvictionAPI']);
  });
});
