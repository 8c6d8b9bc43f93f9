import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { type Harness, newHarness, setPodReady } from '../testing/harness.js';
import { StatefulSetController } from './controller.js';
import type { STS } from './identity.js';

type P = Pod & KubeObject;

function statefulSet(replicas: number, patch: (s: StatefulSet) => void = () => {}): STS {
  const sts: STS = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
      },
    },
  };
  patch(sts);
  return sts;
}

const names = (h: Harness) =>
  h.client
    .list<P>('pods')
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name)
    .sort();
const get = (h: Harness, name: string) => h.client.get<P>('pods', 'default', name)!;
const stsOf = (h: Harness) => h.client.get<STS>('statefulsets', 'default', 'web')!;

/** Plays the kubelet's part on every live pod that is not Ready yet, then settles. */
async function readyAll(h: Harness): Promise<void> {
  for (const p of h.client.list<P>('pods'))
    if (!p.metadata.deletionTimestamp && p.status?.phase !== 'Running') setPodReady(h, p);
  await h.settle();
}

/** Removes pods being deleted (the kubelet's part once containers stop). */
async function finishDeletes(h: Harness): Promise<void> {
  for (const p of h.client.list<P>('pods'))
    if (p.metadata.deletionTimestamp)
      h.client.delete('pods', 'default', p.metadata.name!, { gracePeriodSeconds: 0 });
  await h.settle();
}

function setImage(h: Harness, image: string): void {
  const cur = stsOf(h);
  cur.spec!.template.spec!.containers[0]!.image = image;
  h.client.update('statefulsets', cur);
}

describe('StatefulSetController', () => {
  let stop = () => {};
  afterEach(() => stop());
  const start = (h: Harness) => {
    stop = h.run(new StatefulSetController(h.deps, { resyncPeriodMs: 0 }));
  };

  test('OrderedReady: web-0, then web-1 once web-0 is Ready, then web-2; identity and events', async () => {
    const h = newHarness();
    start(h);
    h.client.create('statefulsets', statefulSet(3));
    await h.settle();
    assert.deepEqual(names(h), ['web-0']);
    await readyAll(h);
    assert.deepEqual(names(h), ['web-0', 'web-1']);
    await readyAll(h);
    assert.deepEqual(names(h), ['web-0', 'web-1', 'web-2']);
    await readyAll(h);
    const pod = get(h, 'web-1');
    assert.equal(pod.spec?.hostname, 'web-1');
    assert.equal(pod.spec?.subdomain, 'nginx');
    const st = stsOf(h).status!;
    assert.equal(pod.metadata.labels!['controller-revision-hash'], st.updateRevision);
    assert.equal(pod.metadata.labels!['statefulset.kubernetes.io/pod-name'], 'web-1');
    assert.equal(pod.metadata.labels!['apps.kubernetes.io/pod-index'], '1');
    assert.deepEqual(
      [st.replicas, st.readyReplicas, st.currentReplicas, st.updatedReplicas, st.availableReplicas],
      [3, 3, 3, 3, 3],
    );
    assert.equal(st.currentRevision, st.updateRevision);
    assert.deepEqual(h.events.lines('SuccessfulCreate'), [
      'Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful',
      'Normal SuccessfulCreate create Pod web-1 in StatefulSet web successful',
      'Normal SuccessfulCreate create Pod web-2 in StatefulSet web successful',
    ]);
  });

  test('Parallel creates every pod at once', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'statefulsets',
      statefulSet(3, (s) => {
        s.spec!.podManagementPolicy = 'Parallel';
      }),
    );
    await h.settle();
    assert.deepEqual(names(h), ['web-0', 'web-1', 'web-2']);
  });

  test('scale down removes the highest ordinal first, one at a time', async () => {
    const h = newHarness();
    start(h);
    h.client.create('statefulsets', statefulSet(3));
    for (let i = 0; i < 4; i++) await readyAll(h);
    const cur = stsOf(h);
    h.client.update('statefulsets', { ...cur, spec: { ...cur.spec!, replicas: 1 } });
    await h.settle();
    await finishDeletes(h);
    assert.deepEqual(names(h), ['web-0']);
    assert.deepEqual(h.events.lines('SuccessfulDelete'), [
      'Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful',
      'Normal SuccessfulDelete delete Pod web-1 in StatefulSet web successful',
    ]);
  });

  test('RollingUpdate replaces from the highest ordinal down to the partition', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'statefulsets',
      statefulSet(3, (s) => {
        s.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
      }),
    );
    for (let i = 0; i < 4; i++) await readyAll(h);
    const firstRevision = stsOf(h).status!.currentRevision;
    const image = (n: string) => get(h, n).spec!.containers[0]!.image;
    setImage(h, 'nginx:2');
    await h.settle();
    // web-2 replaced first; web-1 waits until the new web-2 is Ready.
    assert.deepEqual([image('web-1'), image('web-2')], ['nginx:1', 'nginx:2']);
    await readyAll(h);
    assert.deepEqual([image('web-1'), image('web-2')], ['nginx:2', 'nginx:2']);
    await readyAll(h);
    assert.deepEqual(
      ['web-0', 'web-1', 'web-2'].map(image),
      ['nginx:1', 'nginx:2', 'nginx:2'],
      'web-0 is below the partition',
    );
    assert.deepEqual(h.events.lines('SuccessfulDelete'), [
      'Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful',
      'Normal SuccessfulDelete delete Pod web-1 in StatefulSet web successful',
    ]);
    const st = stsOf(h).status!;
    assert.equal(st.currentRevision, firstRevision);
    assert.deepEqual([st.updatedReplicas, st.currentReplicas], [2, 1]);
    assert.equal(h.client.list('controllerrevisions').length, 2);
    // Below the partition a recreated pod keeps the current revision.
    h.client.delete('pods', 'default', 'web-0', { gracePeriodSeconds: 0 });
    await h.settle();
    assert.equal(image('web-0'), 'nginx:1');
    assert.equal(get(h, 'web-0').metadata.labels!['controller-revision-hash'], firstRevision);
  });

  test('a failed pod is deleted and recreated with the same name', async () => {
    const h = newHarness();
    start(h);
    h.client.create('statefulsets', statefulSet(1));
    await readyAll(h);
    const before = get(h, 'web-0');
    h.client.updateStatus('pods', { ...before, status: { ...before.status, phase: 'Failed' } });
    await h.settle();
    assert.deepEqual(h.events.lines('RecreatingFailedPod'), [
      'Warning RecreatingFailedPod StatefulSet default/web is recreating failed Pod web-0',
    ]);
    await finishDeletes(h);
    assert.deepEqual(names(h), ['web-0']);
    assert.notEqual(get(h, 'web-0').metadata.uid, before.metadata.uid);
  });

  test('volumeClaimTemplates: <template>-<set>-<ordinal> claims before each pod; retention owners', async () => {
    const h = newHarness();
    start(h);
    h.client.create(
      'statefulsets',
      statefulSet(2, (s) => {
        s.spec!.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
        s.spec!.volumeClaimTemplates = [
          {
            metadata: { name: 'data', labels: { tier: 'db' } },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ];
      }),
    );
    await h.settle();
    await readyAll(h);
    const claims = () =>
      h.client
        .list<KubeObject>('persistentvolumeclaims')
        .map((c) => c.metadata.name)
        .sort();
    assert.deepEqual(claims(), ['data-web-0', 'data-web-1']);
    const c0 = h.client.get<KubeObject>('persistentvolumeclaims', 'default', 'data-web-0')!;
    assert.deepEqual(c0.metadata.labels, { tier: 'db', app: 'web' });
    const sts = stsOf(h);
    assert.deepEqual(c0.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: sts.metadata.uid },
    ]);
    assert.deepEqual(get(h, 'web-1').spec?.volumes?.[0], {
      name: 'data',
      persistentVolumeClaim: { claimName: 'data-web-1' },
    });
    assert.ok(
      h.events
        .lines('SuccessfulCreate')
        .includes('Normal SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success'),
    );
    // Scaled down: the condemned pod owns its claim (whenScaled Delete) before it goes.
    const cur = stsOf(h);
    cur.spec!.replicas = 1;
    h.client.update('statefulsets', cur);
    await h.settle();
    const c1 = h.client.get<KubeObject>('persistentvolumeclaims', 'default', 'data-web-1')!;
    assert.deepEqual(c1.metadata.ownerReferences?.map((r) => r.kind).sort(), ['Pod', 'StatefulSet']);
  });
});
