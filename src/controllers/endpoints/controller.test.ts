import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Endpoints, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { type Harness, newHarness, setPodReady } from '../testing/harness.js';
import { EndpointsController } from './controller.js';

type Ep = Endpoints & KubeObject;

function pod(h: Harness, name: string, labels: Record<string, string>): Pod & KubeObject {
  return h.client.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: {
      nodeName: 'node-1',
      containers: [
        { name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
      ],
    },
  });
}

const ep = (h: Harness) => h.client.get<Ep>('endpoints', 'default', 'web');

describe('EndpointsController', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('follows pod readiness, resolves named ports, and goes with the service', async () => {
    const h = newHarness();
    stop = h.run(new EndpointsController(h.deps, { resyncPeriodMs: 0 }));
    h.client.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', labels: { team: 'a' } },
      spec: {
        selector: { app: 'web' },
        clusterIP: '10.96.0.10',
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    });
    const a = pod(h, 'a', { app: 'web' });
    const b = pod(h, 'b', { app: 'web' });
    pod(h, 'other', { app: 'db' });
    await h.settle();
    assert.equal(ep(h)?.subsets, undefined, 'pods without IPs are not listed');
    assert.deepEqual(ep(h)?.metadata.labels, { team: 'a' });
    const readyA = setPodReady(h, a, true);
    const notReadyB = setPodReady(h, b, false);
    await h.settle();
    const addr = (p: Pod & KubeObject) => ({
      ip: p.status!.podIP!,
      nodeName: 'node-1',
      targetRef: { kind: 'Pod', namespace: 'default', name: p.metadata.name, uid: p.metadata.uid },
    });
    assert.deepEqual(ep(h)?.subsets, [
      {
        addresses: [addr(readyA)],
        notReadyAddresses: [addr(notReadyB)],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    const rv = ep(h)!.metadata.resourceVersion;
    // An unrelated pod change must not rewrite the Endpoints.
    const cur = h.client.get<Pod & KubeObject>('pods', 'default', 'a')!;
    h.client.update('pods', { ...cur, metadata: { ...cur.metadata, annotations: { note: 'x' } } });
    await h.settle();
    assert.equal(ep(h)!.metadata.resourceVersion, rv);
    setPodReady(h, notReadyB, true);
    await h.settle();
    assert.equal(ep(h)?.subsets?.[0]?.addresses?.length, 2);
    assert.equal(ep(h)?.subsets?.[0]?.notReadyAddresses, undefined);
    // Relabelling a pod away from the selector removes it.
    const curB = h.client.get<Pod & KubeObject>('pods', 'default', 'b')!;
    h.client.update('pods', { ...curB, metadata: { ...curB.metadata, labels: { app: 'gone' } } });
    await h.settle();
    assert.deepEqual(
      ep(h)?.subsets?.[0]?.addresses?.map((x) => x.targetRef?.name),
      ['a'],
    );
    h.client.delete('services', 'default', 'web');
    await h.settle();
    assert.equal(ep(h), undefined);
  });

  test('services without a selector are left alone; headless services are labelled', async () => {
    const h = newHarness();
    stop = h.run(new EndpointsController(h.deps, { resyncPeriodMs: 0 }));
    h.client.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'manual', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    });
    h.client.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, clusterIP: 'None' },
    });
    setPodReady(h, pod(h, 'a', { app: 'web' }));
    await h.settle();
    assert.equal(h.client.get('endpoints', 'default', 'manual'), undefined);
    assert.deepEqual(ep(h)?.metadata.labels, { 'service.kubernetes.io/headless': '' });
    assert.equal(ep(h)?.subsets?.[0]?.addresses?.[0]?.targetRef?.name, 'a');
    assert.equal(ep(h)?.subsets?.[0]?.ports, undefined);
  });
});
