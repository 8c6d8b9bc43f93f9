import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Namespace } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { createNamespace, newHarness } from '../testing/harness.js';
import { NamespaceController } from './controller.js';

type Ns = Namespace & KubeObject;

describe('NamespaceController', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('deletes all content, reports what remains, then finalizes the namespace', async () => {
    const h = newHarness();
    stop = h.run(new NamespaceController(h.deps, { resyncPeriodMs: 0, contentDeletionDelayMs: 0 }));
    createNamespace(h, 'dev');
    createNamespace(h, 'keep');
    h.client.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'dev' },
    });
    h.client.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'keep' },
    });
    h.client.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'dev', finalizers: ['example.com/hold'] },
      spec: { containers: [] },
    });
    h.client.create('deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'dev' },
      spec: {},
    });
    h.client.delete('namespaces', '', 'dev');
    await h.settle();
    let ns = h.client.get<Ns>('namespaces', '', 'dev')!;
    assert.equal(ns.status?.phase, 'Terminating');
    assert.equal(h.client.get('configmaps', 'dev', 'c'), undefined);
    assert.equal(h.client.get('deployments', 'dev', 'd'), undefined);
    assert.ok(h.client.get('configmaps', 'keep', 'c'), 'other namespaces untouched');
    const byType = Object.fromEntries((ns.status?.conditions ?? []).map((c) => [c.type, c]));
    assert.deepEqual(
      [
        byType.NamespaceContentRemaining?.status,
        byType.NamespaceContentRemaining?.reason,
        byType.NamespaceContentRemaining?.message,
      ],
      ['True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 1 resource instances'],
    );
    assert.equal(
      byType.NamespaceFinalizersRemaining?.message,
      'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    );
    assert.deepEqual(
      [byType.NamespaceDeletionContentFailure?.status, byType.NamespaceDeletionContentFailure?.reason],
      ['False', 'ContentDeleted'],
    );
    assert.equal(ns.spec?.finalizers?.includes('kubernetes'), true, 'not finalized while content remains');
    const p = h.client.get('pods', 'dev', 'p')!;
    h.client.update('pods', { ...p, metadata: { ...p.metadata, finalizers: [] } });
    await h.settle();
    assert.equal(h.client.get('namespaces', '', 'dev'), undefined, 'namespace removed once finalized');
    ns = h.client.get<Ns>('namespaces', '', 'keep')!;
    assert.equal(ns.status?.phase, 'Active');
  });
});
