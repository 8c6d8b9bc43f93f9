import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import { createStrategies } from '../api/registry/catalog.js';
import { Registry } from '../api/registry/registry.js';
import { Store } from '../store/sqlite-store.js';
import {
  ensureClusterDnsService,
  ensureKubernetesService,
  ensureSystemNamespaces,
  SYSTEM_NAMESPACES,
} from './bootstrap.js';

describe('bootstrap: selector-less system Services', () => {
  let store: Store;
  let registry: Registry;

  before(() => {
    store = Store.open({ path: ':memory:' });
    registry = new Registry({
      store,
      strategies: createStrategies({ store }),
      clock: { now: () => new Date() },
    });
    for (const name of ['default', 'kube-system']) {
      registry.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  });
  after(() => store.close());

  const svc = (ns: string, name: string) => registry.get('services', ns, name) as unknown as Service;
  const ep = (ns: string, name: string) => registry.get('endpoints', ns, name) as unknown as Endpoints;

  test("kube-dns gets CoreDNS's ClusterIP and ports, no selector, Endpoints at the gateway", () => {
    ensureClusterDnsService(registry, '10.244.0.1', 53);
    const s = svc('kube-system', 'kube-dns');
    assert.equal(s.spec?.clusterIP, '10.96.0.10');
    assert.equal(s.spec?.selector, undefined);
    assert.deepEqual(
      s.spec?.ports?.map((p) => `${p.name} ${p.port}/${p.protocol}`),
      ['dns 53/UDP', 'dns-tcp 53/TCP'],
    );
    assert.equal(s.metadata?.labels?.['k8s-app'], 'kube-dns');
    assert.deepEqual(ep('kube-system', 'kube-dns').subsets, [
      {
        addresses: [{ ip: '10.244.0.1' }],
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    ]);
  });

  test('a second start changes nothing; a moved address rewrites the Endpoints only', () => {
    const rv = ep('kube-system', 'kube-dns').metadata?.resourceVersion;
    const svcRv = svc('kube-system', 'kube-dns').metadata?.resourceVersion;
    ensureClusterDnsService(registry, '10.244.0.1', 53);
    assert.equal(ep('kube-system', 'kube-dns').metadata?.resourceVersion, rv);
    ensureClusterDnsService(registry, '10.244.0.9', 53);
    assert.equal(ep('kube-system', 'kube-dns').subsets?.[0]?.addresses?.[0]?.ip, '10.244.0.9');
    assert.equal(svc('kube-system', 'kube-dns').metadata?.resourceVersion, svcRv);
  });

  test('kubernetes: Endpoints follow the address and port the API listens on', () => {
    ensureKubernetesService(registry, '10.244.0.1', 6443);
    assert.equal(svc('default', 'kubernetes').spec?.clusterIP, '10.96.0.1');
    assert.deepEqual(ep('default', 'kubernetes').subsets?.[0]?.addresses, [{ ip: '10.244.0.1' }]);
    ensureKubernetesService(registry, '10.244.0.1', 7443);
    assert.equal(ep('default', 'kubernetes').subsets?.[0]?.ports?.[0]?.port, 7443);
    assert.equal(svc('default', 'kubernetes').spec?.ports?.[0]?.targetPort, 7443);
  });
});

describe('bootstrap: system namespaces', () => {
  test('the system namespaces exist, and a deleted kube-node-lease comes back', () => {
    const store = Store.open({ path: ':memory:' });
    try {
      const registry = new Registry({
        store,
        strategies: createStrategies({ store }),
        clock: { now: () => new Date() },
      });
      ensureSystemNamespaces(registry);
      assert.deepEqual(
        registry
          .list('namespaces')
          .map((n) => n.metadata.name)
          .sort(),
        [...SYSTEM_NAMESPACES].sort(),
      );
      // Deleted, then finalized as the namespace controller does once the contents are gone.
      registry.delete('namespaces', '', 'kube-node-lease');
      const terminating = registry.get('namespaces', '', 'kube-node-lease')!;
      registry.update('namespaces', { ...terminating, spec: { finalizers: [] } });
      assert.equal(registry.getStored('namespaces', '', 'kube-node-lease'), undefined);
      ensureSystemNamespaces(registry);
      assert.ok(registry.get('namespaces', '', 'kube-node-lease'), 'recreated');
    } finally {
      store.close();
    }
  });
});
