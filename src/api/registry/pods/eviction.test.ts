import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { ApiError } from '../../errors.js';
import { openTestRegistry, type TestRegistry } from '../../testing/registry.js';
import type { KubeObject } from '../../types.js';
import { evictPod } from './eviction.js';

type Pdb = PodDisruptionBudget & KubeObject;
const NOW = new Date('2026-11-25T10:00:00Z');
let t: TestRegistry;
let n = 0;

before(() => {
  t = openTestRegistry();
});
after(() => t.store.close());

/** A scheduled pod (deleted gracefully, so it stays visible), Running, Ready or not, or in `phase`. */
function pod(labels: Record<string, string>, opts: { ready?: boolean; phase?: string } = {}): string {
  const name = `p${n++}`;
  t.registry.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  t.registry.bind('default', name, 'node-1');
  const cur = t.registry.get<Pod & KubeObject>('pods', 'default', name)!;
  const phase = opts.phase ?? 'Running';
  t.registry.updateStatus('pods', {
    ...cur,
    status: {
      ...cur.status,
      phase,
      conditions: [
        ...(cur.status?.conditions ?? []),
        {
          type: 'Ready',
          status: opts.ready === false ? 'False' : 'True',
          lastTransitionTime: '2026-11-25T09:00:00Z',
        },
      ],
    },
  });
  return name;
}

function pdb(
  name: string,
  app: string,
  status: Partial<NonNullable<PodDisruptionBudget['status']>>,
  spec: Partial<PodDisruptionBudget['spec']> = {},
): void {
  t.registry.create('poddisruptionbudgets', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: { minAvailable: 1, selector: { matchLabels: { app } }, ...spec },
  });
  const cur = t.registry.get<Pdb>('poddisruptionbudgets', 'default', name)!;
  t.registry.updateStatus('poddisruptionbudgets', {
    ...cur,
    status: {
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
      disruptionsAllowed: 0,
      observedGeneration: 1,
      ...status,
    },
  });
}

const getPod = (name: string) => t.registry.get<Pod & KubeObject>('pods', 'default', name);
const getPdb = (name: string) => t.registry.get<Pdb>('poddisruptionbudgets', 'default', name)!;
const evict = (name: string, opts = {}) => evictPod(t.registry, 'default', name, opts, NOW);

function rejects(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return e;
  }
  assert.fail('no error');
}

describe('evictPod', () => {
  test('a pod no budget covers is deleted, after the DisruptionTarget condition', () => {
    const name = pod({ app: 'free' });
    assert.deepEqual(evict(name), {
      code: 201,
      status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
    });
    const p = getPod(name)!;
    assert.ok(p.metadata.deletionTimestamp, 'being deleted gracefully');
    const c = p.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
    assert.deepEqual(
      [c?.status, c?.reason, c?.message],
      ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting'],
    );
  });

  test('a budget that allows one: the first eviction spends it, the second is a 429 naming the budget', () => {
    pdb('web', 'web', { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    const a = pod({ app: 'web' });
    const b = pod({ app: 'web' });
    assert.equal(evict(a).code, 201);
    const s = getPdb('web').status as NonNullable<Pdb['status']> & { disruptedPods?: Record<string, string> };
    assert.equal(s.disruptionsAllowed, 0);
    assert.deepEqual(s.disruptedPods, { [a]: '2026-11-25T10:00:00Z' });
    const cond = s.conditions?.find((c) => c.type === 'DisruptionAllowed');
    assert.deepEqual([cond?.status, cond?.reason], ['False', 'InsufficientPods']);
    const err = rejects(() => evict(b));
    assert.equal(err.code, 429);
    assert.equal(err.reason, 'TooManyRequests');
    assert.equal(err.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(err.details?.causes, [
      {
        reason: 'DisruptionBudget',
        message: 'The disruption budget web needs 2 healthy pods and has 3 currently',
      },
    ]);
    assert.equal(getPod(b)!.metadata.deletionTimestamp, undefined, 'the blocked pod stays');
  });

  test('a budget the controller has not observed yet is a 429 with a 10 s retry', () => {
    pdb('fresh', 'fresh', { disruptionsAllowed: 5, observedGeneration: 0 });
    const err = rejects(() => evict(pod({ app: 'fresh' })));
    assert.equal(err.code, 429);
    assert.equal(err.details?.retryAfterSeconds, 10);
    assert.equal(
      err.details?.causes?.[0]?.message,
      'The disruption budget fresh is still being processed by the server.',
    );
  });

  test('two budgets over one pod: a 500 Status', () => {
    pdb('two-a', 'two', { disruptionsAllowed: 1 });
    pdb('two-b', 'two', { disruptionsAllowed: 1 });
    const r = evict(pod({ app: 'two' }));
    assert.equal(r.code, 500);
    assert.equal(
      r.status.message,
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  });

  test('terminal and Pending pods ignore the budget', () => {
    pdb('done', 'done', { disruptionsAllowed: 0 });
    const failed = pod({ app: 'done' }, { phase: 'Failed' });
    const pending = pod({ app: 'done' }, { phase: 'Pending' });
    assert.equal(evict(failed).code, 201);
    assert.equal(evict(pending).code, 201);
    assert.ok(getPod(failed)?.metadata.deletionTimestamp ?? !getPod(failed));
    assert.ok(getPod(pending)?.metadata.deletionTimestamp ?? !getPod(pending));
  });

  test('an unready pod goes without spending the budget when it has its healthy pods, or under AlwaysAllow', () => {
    pdb('healthy', 'healthy', { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    assert.equal(evict(pod({ app: 'healthy' }, { ready: false })).code, 201);
    assert.equal(getPdb('healthy').status?.disruptionsAllowed, 0);
    pdb('short', 'short', { currentHealthy: 1, desiredHealthy: 2, disruptionsAllowed: 0 });
    assert.equal(rejects(() => evict(pod({ app: 'short' }, { ready: false }))).code, 429);
    pdb(
      'always',
      'always',
      { currentHealthy: 1, desiredHealthy: 2 },
      { unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    );
    assert.equal(evict(pod({ app: 'always' }, { ready: false })).code, 201);
  });

  test('dryRun checks the budget but changes nothing', () => {
    pdb('dry', 'dry', { disruptionsAllowed: 1 });
    const name = pod({ app: 'dry' });
    const before = getPdb('dry').metadata.resourceVersion;
    assert.equal(evict(name, { dryRun: true }).code, 201);
    assert.equal(getPdb('dry').metadata.resourceVersion, before);
    assert.equal(getPod(name)!.metadata.deletionTimestamp, undefined);
  });

  test('preconditions and a missing pod', () => {
    const name = pod({ app: 'pre' });
    const err = rejects(() => evict(name, { preconditions: { uid: 'other' } }));
    assert.equal(err.code, 409);
    assert.equal(rejects(() => evict('nope')).code, 404);
  });
});
