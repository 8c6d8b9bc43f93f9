import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ConfigMap } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { createNamespace, newHarness } from '../testing/harness.js';
import { ServiceAccountsController } from './controller.js';
import { RootCACertPublisher } from './root-ca-publisher.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('ServiceAccountsController and RootCACertPublisher', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('every active namespace gets a default ServiceAccount and the root CA ConfigMap, re-created when deleted', async () => {
    const h = newHarness();
    createNamespace(h, 'default');
    stop = h.run(
      new ServiceAccountsController(h.deps, { resyncPeriodMs: 0 }),
      new RootCACertPublisher(h.deps, { resyncPeriodMs: 0, rootCAPem: PEM }),
    );
    createNamespace(h, 'team');
    await h.settle();
    for (const ns of ['default', 'team']) {
      assert.ok(h.client.get('serviceaccounts', ns, 'default'), `SA in ${ns}`);
      const cm = h.client.get<ConfigMap & KubeObject>('configmaps', ns, 'kube-root-ca.crt')!;
      assert.deepEqual(cm.data, { 'ca.crt': PEM });
      assert.match(cm.metadata.annotations?.['kubernetes.io/description'] ?? '', /^Contains a CA bundle/);
    }
    const firstUid = h.client.get('serviceaccounts', 'team', 'default')!.metadata.uid;
    h.client.delete('serviceaccounts', 'team', 'default');
    h.client.delete('configmaps', 'team', 'kube-root-ca.crt');
    await h.settle();
    const again = h.client.get('serviceaccounts', 'team', 'default');
    assert.ok(again);
    assert.notEqual(again.metadata.uid, firstUid);
    const cm = h.client.get<ConfigMap & KubeObject>('configmaps', 'team', 'kube-root-ca.crt')!;
    h.client.update('configmaps', { ...cm, data: { 'ca.crt': 'tampered' } });
    await h.settle();
    assert.equal(
      h.client.get<ConfigMap & KubeObject>('configmaps', 'team', 'kube-root-ca.crt')!.data?.['ca.crt'],
      PEM,
    );
  });

  test('a terminating namespace gets nothing new', async () => {
    const h = newHarness();
    createNamespace(h, 'old');
    h.client.delete('namespaces', '', 'old');
    stop = h.run(new ServiceAccountsController(h.deps, { resyncPeriodMs: 0 }));
    await h.settle();
    assert.equal(h.client.get('serviceaccounts', 'old', 'default'), undefined);
  });
});
