import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { type Harness, newHarness } from '../testing/harness.js';
import { GarbageCollector } from './controller.js';

const ownerRef = (o: KubeObject, blockOwnerDeletion = true) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  controller: true,
  blockOwnerDeletion,
});

function rs(h: Harness, name: string, owner?: KubeObject): KubeObject {
  return h.client.create('replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', ...(owner ? { ownerReferences: [ownerRef(owner)] } : {}) },
    spec: { replicas: 1, selector: { matchLabels: { a: name } }, template: {} },
  });
}

function pod(h: Harness, name: string, owners: KubeObject[], block = true): KubeObject {
  return h.client.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ownerReferences: owners.map((o) => ownerRef(o, block)) },
    spec: { containers: [] },
  });
}

const deployment = (h: Harness): KubeObject =>
  h.client.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {},
  });

const exists = (h: Harness, resource: string, name: string) =>
  h.client.get(resource, 'default', name) !== undefined;

describe('GarbageCollector', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('deletes dependents whose owners are all gone, keeps those with a live owner', async () => {
    const h = newHarness();
    stop = h.run(new GarbageCollector(h.deps, { resyncPeriodMs: 0 }));
    const d = deployment(h);
    const a = rs(h, 'a', d);
    const b = rs(h, 'b');
    pod(h, 'pa', [a]);
    pod(h, 'shared', [a, b]);
    await h.settle();
    assert.ok(exists(h, 'replicasets', 'a'));
    h.client.delete('deployments', 'default', 'web');
    await h.settle();
    assert.equal(exists(h, 'replicasets', 'a'), false, 'orphaned RS collected');
    assert.equal(exists(h, 'pods', 'pa'), false, 'its pod collected in turn');
    const shared = h.client.get('pods', 'default', 'shared')!;
    assert.deepEqual(
      shared.metadata.ownerReferences?.map((r) => r.name),
      ['b'],
      'the dangling reference is removed, the live one kept',
    );
  });

  test('foreground deletion deletes dependents first, then removes the finalizer', async () => {
    const h = newHarness();
    stop = h.run(new GarbageCollector(h.deps, { resyncPeriodMs: 0 }));
    const d = deployment(h);
    const a = rs(h, 'a', d);
    const p = pod(h, 'pa', [a]);
    // Hold the pod so we can see the owner wait for it.
    h.client.update('pods', { ...p, metadata: { ...p.metadata, finalizers: ['test/hold'] } });
    h.client.delete('deployments', 'default', 'web', { propagationPolicy: 'Foreground' });
    await h.settle();
    assert.ok(
      h.client.get('deployments', 'default', 'web')?.metadata.finalizers?.includes('foregroundDeletion'),
    );
    const heldRS = h.client.get('replicasets', 'default', 'a');
    assert.ok(heldRS?.metadata.deletionTimestamp, 'the RS is being deleted in the foreground too');
    assert.ok(h.client.get('pods', 'default', 'pa')?.metadata.deletionTimestamp);
    const held = h.client.get('pods', 'default', 'pa')!;
    h.client.update('pods', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    await h.settle();
    assert.equal(exists(h, 'pods', 'pa'), false);
    assert.equal(exists(h, 'replicasets', 'a'), false);
    assert.equal(exists(h, 'deployments', 'web'), false);
  });

  test('orphan deletion strips owner references and then the finalizer', async () => {
    const h = newHarness();
    stop = h.run(new GarbageCollector(h.deps, { resyncPeriodMs: 0 }));
    const d = deployment(h);
    rs(h, 'a', d);
    rs(h, 'b', d);
    h.client.delete('deployments', 'default', 'web', { propagationPolicy: 'Orphan' });
    await h.settle();
    assert.equal(exists(h, 'deployments', 'web'), false);
    for (const name of ['a', 'b']) {
      const o = h.client.get('replicasets', 'default', name)!;
      assert.equal(o.metadata.ownerReferences, undefined);
    }
  });

  test('an owner of a kind the API does not serve is not treated as gone', async () => {
    const h = newHarness();
    stop = h.run(new GarbageCollector(h.deps, { resyncPeriodMs: 0 }));
    h.client.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        namespace: 'default',
        ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'u-1' }],
      },
    });
    await h.settle();
    assert.ok(exists(h, 'configmaps', 'c'));
  });
});
