import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { type Harness, newHarness, setPodReady } from '../testing/harness.js';
import { ReplicaSetController } from './controller.js';
import type { RS } from './status.js';

function replicaSet(name: string, replicas: number, extra: Partial<NonNullable<RS['spec']>> = {}): RS {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
      ...extra,
    },
  };
}

const podsOf = (h: Harness, app: string) =>
  h.client
    .list<Pod & KubeObject>('pods', { labelSelector: `app=${app}` })
    .filter((p) => !p.metadata.deletionTimestamp);

describe('ReplicaSetController', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('creates pods from the template with owner references, events and status', async () => {
    const h = newHarness();
    stop = h.run(new ReplicaSetController(h.deps, { resyncPeriodMs: 0 }));
    const rs = h.client.create('replicasets', replicaSet('web', 3));
    await h.settle();
    const pods = podsOf(h, 'web');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(p.metadata.generateName, 'web-');
      assert.deepEqual(p.metadata.ownerReferences, [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      assert.deepEqual(p.spec?.containers, [{ name: 'c', image: 'nginx' }]);
    }
    assert.deepEqual(
      h.events.lines('SuccessfulCreate').sort(),
      pods.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort(),
    );
    assert.ok(
      h.events.events.every(
        (e) => e.component === 'replicaset-controller' && e.involved.kind === 'ReplicaSet',
      ),
    );
    let st = h.client.get<RS>('replicasets', 'default', 'web')!.status!;
    assert.deepEqual(
      [st.replicas, st.fullyLabeledReplicas, st.readyReplicas, st.availableReplicas, st.observedGeneration],
      [3, 3, 0, 0, 1],
    );
    for (const p of pods) setPodReady(h, p);
    await h.settle();
    st = h.client.get<RS>('replicasets', 'default', 'web')!.status!;
    assert.deepEqual([st.readyReplicas, st.availableReplicas], [3, 3]);
  });

  test('scales down deleting not-ready pods first', async () => {
    const h = newHarness();
    stop = h.run(new ReplicaSetController(h.deps, { resyncPeriodMs: 0 }));
    h.client.create('replicasets', replicaSet('web', 3));
    await h.settle();
    const [a, b, c] = podsOf(h, 'web');
    setPodReady(h, a!);
    setPodReady(h, b!);
    setPodReady(h, c!, false);
    await h.settle();
    const cur = h.client.get<RS>('replicasets', 'default', 'web')!;
    h.client.update('replicasets', { ...cur, spec: { ...cur.spec!, replicas: 2 } });
    await h.settle();
    const left = podsOf(h, 'web').map((p) => p.metadata.name);
    assert.deepEqual(left.sort(), [a!.metadata.name, b!.metadata.name].sort());
    assert.deepEqual(h.events.lines('SuccessfulDelete'), [
      `Normal SuccessfulDelete Deleted pod: ${c!.metadata.name}`,
    ]);
    const st = h.client.get<RS>('replicasets', 'default', 'web')!.status!;
    assert.deepEqual([st.replicas, st.readyReplicas, st.observedGeneration], [2, 2, 2]);
  });

  test('adopts matching orphans and releases pods that stop matching', async () => {
    const h = newHarness();
    const orphan = h.client.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    stop = h.run(new ReplicaSetController(h.deps, { resyncPeriodMs: 0 }));
    const rs = h.client.create('replicasets', replicaSet('web', 2));
    await h.settle();
    const adopted = h.client.get<Pod & KubeObject>('pods', 'default', 'stray')!;
    assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
    assert.equal(podsOf(h, 'web').length, 2, 'one adopted plus one created');
    h.client.update('pods', { ...adopted, metadata: { ...adopted.metadata, labels: { app: 'other' } } });
    await h.settle();
    const released = h.client.get<Pod & KubeObject>('pods', 'default', 'stray')!;
    assert.equal(released.metadata.ownerReferences, undefined);
    assert.equal(podsOf(h, 'web').length, 2, 'a replacement was created');
    assert.equal(orphan.metadata.name, 'stray');
  });

  test('terminating pods do not count and are replaced', async () => {
    const h = newHarness();
    stop = h.run(new ReplicaSetController(h.deps, { resyncPeriodMs: 0 }));
    h.client.create('replicasets', replicaSet('web', 1, {}));
    await h.settle();
    const [p] = podsOf(h, 'web');
    // A finalizer keeps the pod around with deletionTimestamp, as a graceful deletion would.
    h.client.update('pods', { ...p!, metadata: { ...p!.metadata, finalizers: ['test/hold'] } });
    h.client.delete('pods', 'default', p!.metadata.name!);
    await h.settle();
    const live = podsOf(h, 'web');
    assert.equal(live.length, 1);
    assert.notEqual(live[0]!.metadata.name, p!.metadata.name);
    assert.equal(h.client.get<RS>('replicasets', 'default', 'web')!.status!.replicas, 1);
  });

  test('availableReplicas waits for minReadySeconds', async () => {
    const h = newHarness();
    const ctl = new ReplicaSetController(h.deps, { resyncPeriodMs: 0 });
    stop = h.run(ctl);
    h.client.create('replicasets', replicaSet('web', 1, { minReadySeconds: 10 }));
    await h.settle();
    setPodReady(h, podsOf(h, 'web')[0]!);
    await h.settle();
    let st = h.client.get<RS>('replicasets', 'default', 'web')!.status!;
    assert.deepEqual([st.readyReplicas, st.availableReplicas], [1, 0]);
    h.clock.advance(11);
    ctl.resync();
    await h.settle();
    st = h.client.get<RS>('replicasets', 'default', 'web')!.status!;
    assert.deepEqual([st.readyReplicas, st.availableReplicas], [1, 1]);
  });

  test('a create failure sets ReplicaFailure and a FailedCreate event', async () => {
    const h = newHarness();
    stop = h.run(new ReplicaSetController(h.deps, { resyncPeriodMs: 0 }));
    // The API refuses pod creates (as a quota would); the RS must report it.
    const orig = h.client.create.bind(h.client);
    h.client.create = ((resource: string, obj: KubeObject) => {
      if (resource === 'pods')
        throw Object.assign(new Error('pods "x" is forbidden: exceeded quota'), { code: 403 });
      return orig(resource, obj);
    }) as typeof h.client.create;
    h.client.create('replicasets', replicaSet('web', 1));
    await h.settle();
    assert.ok(
      h.events
        .lines('FailedCreate')
        .includes('Warning FailedCreate Error creating: pods "x" is forbidden: exceeded quota'),
    );
    const cond = h.client.get<RS>('replicasets', 'default', 'web')!.status?.conditions?.[0];
    assert.equal(cond?.type, 'ReplicaFailure');
    assert.equal(cond?.reason, 'FailedCreate');
  });
});
