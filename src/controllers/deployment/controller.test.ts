import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { ReplicaSetController } from '../replicaset/controller.js';
import { type Harness, newHarness, readyAll } from '../testing/harness.js';
import { DeploymentController } from './controller.js';
import type { RS } from './replica-sets.js';

type Dep = Deployment & KubeObject;

function deployment(
  replicas: number,
  strategy: Dep['spec'] extends infer S ? (S extends { strategy?: infer T } ? T : never) : never,
  extra: Partial<NonNullable<Dep['spec']>> = {},
): Dep {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      strategy,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
      },
      ...extra,
    },
  };
}

const getD = (h: Harness): Dep => h.client.get<Dep>('deployments', 'default', 'web')!;
const rsList = (h: Harness): RS[] =>
  h.client
    .list<RS>('replicasets', { namespace: 'default' })
    .sort(
      (a, b) =>
        Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) -
        Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']),
    );
const sizes = (h: Harness): number[] => rsList(h).map((rs) => rs.spec!.replicas!);
const livePods = (h: Harness) =>
  h.client.list<Pod & KubeObject>('pods').filter((p) => !p.metadata.deletionTimestamp);

function setImage(h: Harness, image: string, mutate: (d: Dep) => void = () => {}): void {
  const d = getD(h);
  d.spec!.template.spec!.containers[0]!.image = image;
  mutate(d);
  h.client.update('deployments', d);
}

/** Lets the controllers work, marking new pods Ready each round, until nothing changes. */
async function rollToCompletion(h: Harness, maxRounds = 30): Promise<void> {
  for (let i = 0; i < maxRounds; i++) {
    await h.settle();
    const notReady = livePods(h).filter(
      (p) => !p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    if (notReady.length === 0) return;
    readyAll(h);
  }
  throw new Error('rollout did not finish');
}

const condition = (d: Dep, type: string) => d.status?.conditions?.find((c) => c.type === type);

describe('DeploymentController', () => {
  let stop = () => {};
  afterEach(() => stop());
  const start = (h: Harness) => {
    stop = h.run(
      new DeploymentController(h.deps, { resyncPeriodMs: 0 }),
      new ReplicaSetController(h.deps, { resyncPeriodMs: 0 }),
    );
  };

  test('creates the ReplicaSet with the hash label, annotations, conditions and status', async () => {
    const h = newHarness();
    start(h);
    const created = h.client.create(
      'deployments',
      deployment(3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }),
    );
    await h.settle();
    const [rs] = rsList(h);
    assert.ok(rs);
    const hash = rs.metadata.labels!['pod-template-hash']!;
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.deepEqual(rs.spec!.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.deepEqual(rs.spec!.template, {
      metadata: { labels: { app: 'web', 'pod-template-hash': hash } },
      spec: created.spec!.template.spec,
    });
    assert.deepEqual(rs.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.deepEqual(rs.metadata.annotations, {
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    assert.deepEqual(h.events.lines('ScalingReplicaSet'), [
      `Normal ScalingReplicaSet Scaled up replica set web-${hash} to 3`,
    ]);
    assert.equal(
      h.events.events.find((e) => e.reason === 'ScalingReplicaSet')!.component,
      'deployment-controller',
    );
    let d = getD(h);
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(condition(d, 'Available')?.reason, 'MinimumReplicasUnavailable');
    assert.equal(condition(d, 'Available')?.message, 'Deployment does not have minimum availability.');
    assert.equal(condition(d, 'Progressing')?.reason, 'ReplicaSetUpdated');
    assert.equal(condition(d, 'Progressing')?.message, `ReplicaSet "web-${hash}" is progressing.`);
    await rollToCompletion(h);
    d = getD(h);
    assert.deepEqual(
      { ...d.status, conditions: undefined },
      {
        observedGeneration: 1,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        unavailableReplicas: 0,
        conditions: undefined,
      },
    );
    assert.equal(condition(d, 'Available')?.status, 'True');
    assert.equal(condition(d, 'Available')?.message, 'Deployment has minimum availability.');
    assert.equal(condition(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    assert.equal(
      condition(d, 'Progressing')?.message,
      `ReplicaSet "web-${hash}" has successfully progressed.`,
    );
  });

  test('rolling update proceeds step by step within maxSurge and maxUnavailable', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'deployments',
      deployment(4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }),
    );
    await rollToCompletion(h);
    setImage(h, 'nginx:2');
    await h.settle();
    assert.deepEqual(sizes(h), [4, 1], 'surge one new pod, keep all old ones');
    const [oldRS, newRS] = rsList(h).map((r) => r.metadata.name);
    const steps: number[][] = [sizes(h)];
    for (let i = 0; i < 10 && sizes(h)[0] !== 0; i++) {
      readyAll(h);
      await h.settle();
      steps.push(sizes(h));
      // Never fewer than 4 available-or-old pods, never more than 5 in total.
      assert.ok(sizes(h)[0]! + sizes(h)[1]! <= 5);
    }
    await rollToCompletion(h);
    assert.deepEqual(sizes(h), [0, 4]);
    assert.deepEqual(steps[1], [3, 2]);
    const scaling = h.events.lines('ScalingReplicaSet');
    assert.ok(scaling.includes(`Normal ScalingReplicaSet Scaled up replica set ${newRS} to 1`));
    assert.ok(scaling.includes(`Normal ScalingReplicaSet Scaled down replica set ${oldRS} to 3 from 4`));
    assert.ok(scaling.includes(`Normal ScalingReplicaSet Scaled up replica set ${newRS} to 2 from 1`));
    assert.ok(scaling.includes(`Normal ScalingReplicaSet Scaled down replica set ${oldRS} to 0 from 1`));
    const d = getD(h);
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(d.status?.updatedReplicas, 4);
    assert.equal(d.status?.replicas, 4);
    assert.equal(d.status?.observedGeneration, d.metadata.generation);
    assert.equal(livePods(h).length, 4);
  });

  test('Recreate scales the old ReplicaSet to zero before creating the new one', async () => {
    const h = newHarness();
    start(h);
    h.client.create('deployments', deployment(2, { type: 'Recreate' }));
    await rollToCompletion(h);
    const seen: string[] = [];
    const unwatch = h.client.watch('replicasets', (ev) => {
      if (ev.type === 'ADDED') seen.push(`created with ${livePods(h).length} live pods`);
    });
    setImage(h, 'nginx:2');
    await rollToCompletion(h);
    unwatch();
    assert.deepEqual(sizes(h), [0, 2]);
    assert.deepEqual(seen, ['created with 0 live pods']);
    const lines = h.events.lines('ScalingReplicaSet');
    assert.match(lines[1]!, /Scaled down replica set web-\w+ to 0 from 2/);
    assert.match(lines[2]!, /Scaled up replica set web-\w+ to 2$/);
  });

  test('rollout undo reuses the old ReplicaSet and bumps its revision', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'deployments',
      deployment(2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }),
    );
    await rollToCompletion(h);
    setImage(h, 'nginx:2');
    await rollToCompletion(h);
    const [first] = rsList(h);
    // What kubectl rollout undo does: copy revision 1's template, without the hash label.
    const d = getD(h);
    const tpl = structuredClone(first!.spec!.template!);
    delete tpl.metadata!.labels!['pod-template-hash'];
    h.client.update('deployments', { ...d, spec: { ...d.spec!, template: tpl } });
    await rollToCompletion(h);
    const all = h.client.list<RS>('replicasets');
    assert.equal(all.length, 2, 'no third ReplicaSet');
    const reused = h.client.get<RS>('replicasets', 'default', first!.metadata.name!)!;
    assert.equal(reused.spec!.replicas, 2);
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(getD(h).metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  });

  test('revisionHistoryLimit deletes the oldest scaled-down ReplicaSets', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'deployments',
      deployment(
        1,
        { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        { revisionHistoryLimit: 1 },
      ),
    );
    await rollToCompletion(h);
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      setImage(h, image);
      await rollToCompletion(h);
    }
    const revisions = rsList(h).map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']);
    assert.deepEqual(revisions, ['3', '4']);
  });

  test('scaling resizes the ReplicaSet and records the new size', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'deployments',
      deployment(3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }),
    );
    await rollToCompletion(h);
    const d = getD(h);
    h.client.update('deployments', { ...d, spec: { ...d.spec!, replicas: 5 } });
    await rollToCompletion(h);
    const [rs] = rsList(h);
    assert.equal(rs!.spec!.replicas, 5);
    assert.equal(rs!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
    assert.equal(rs!.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '7');
    assert.ok(
      h.events
        .lines('ScalingReplicaSet')
        .includes(`Normal ScalingReplicaSet Scaled up replica set ${rs!.metadata.name} to 5 from 3`),
    );
    assert.equal(getD(h).status?.availableReplicas, 5);
  });

  test('scaling during a rollout spreads replicas proportionally', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'deployments',
      deployment(10, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } }),
    );
    await rollToCompletion(h);
    setImage(h, 'nginx:2');
    await h.settle();
    // New pods never become ready: the rollout stops at 13 pods, 8 available old ones.
    assert.deepEqual(sizes(h), [8, 5]);
    const [oldName, newName] = rsList(h).map((r) => r.metadata.name);
    const d = getD(h);
    h.client.update('deployments', { ...d, spec: { ...d.spec!, replicas: 20 } });
    await h.settle();
    // 23 allowed: old 8*23/13 -> 14, new 5*23/13 -> 9 (upstream's getReplicaSetFraction).
    assert.deepEqual(sizes(h), [14, 9]);
    const lines = h.events.lines('ScalingReplicaSet');
    assert.ok(lines.includes(`Normal ScalingReplicaSet Scaled up replica set ${oldName} to 14 from 8`));
    assert.ok(lines.includes(`Normal ScalingReplicaSet Scaled up replica set ${newName} to 9 from 5`));
    for (const rs of rsList(h)) {
      assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
      assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '23');
    }
  });

  test('a paused deployment does not roll out until resumed; restart makes a new ReplicaSet', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'deployments',
      deployment(1, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }),
    );
    await rollToCompletion(h);
    setImage(h, 'nginx:2', (d) => {
      d.spec!.paused = true;
    });
    await rollToCompletion(h);
    assert.equal(rsList(h).length, 1);
    let d = getD(h);
    assert.deepEqual(
      [condition(d, 'Progressing')?.status, condition(d, 'Progressing')?.reason],
      ['Unknown', 'DeploymentPaused'],
    );
    h.client.update('deployments', { ...d, spec: { ...d.spec!, paused: false } });
    await rollToCompletion(h);
    assert.equal(rsList(h).length, 2);
    d = getD(h);
    assert.equal(condition(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    // kubectl rollout restart: a template annotation.
    d.spec!.template.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' };
    h.client.update('deployments', d);
    await rollToCompletion(h);
    assert.equal(rsList(h).length, 3);
    assert.deepEqual(sizes(h), [0, 0, 1]);
  });

  test('no progress within progressDeadlineSeconds sets ProgressDeadlineExceeded', async () => {
    const h = newHarness();
    const dc = new DeploymentController(h.deps, { resyncPeriodMs: 0 });
    stop = h.run(dc, new ReplicaSetController(h.deps, { resyncPeriodMs: 0 }));
    h.client.create(
      'deployments',
      deployment(
        1,
        { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        { progressDeadlineSeconds: 10 },
      ),
    );
    await h.settle();
    h.clock.advance(11);
    dc.resync();
    await h.settle();
    const d = getD(h);
    const name = rsList(h)[0]!.metadata.name;
    assert.deepEqual(
      [
        condition(d, 'Progressing')?.status,
        condition(d, 'Progressing')?.reason,
        condition(d, 'Progressing')?.message,
      ],
      ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${name}" has timed out progressing.`],
    );
  });
});
