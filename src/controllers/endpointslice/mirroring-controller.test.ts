import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { DEFAULT_RESOURCES, FakeClient } from '../testing/fake-client.js';
import { FakeEventRecorder } from '../testing/fake-events.js';
import { ManualClock } from '../testing/harness.js';
import { settle } from '../testing/settle.js';
import { EndpointSliceController } from './controller.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './labels.js';
import { EndpointSliceMirroringController } from './mirroring-controller.js';

type Slice = EndpointSlice & KubeObject;
type Eps = Endpoints & KubeObject;

const MIRRORING = 'endpointslicemirroring-controller.k8s.io';

function harness() {
  const clock = new ManualClock();
  const client = new FakeClient({
    clock,
    resources: [
      ...DEFAULT_RESOURCES,
      { resource: 'endpointslices', namespaced: true, group: 'discovery.k8s.io', kind: 'EndpointSlice' },
    ],
  });
  const events = new FakeEventRecorder();
  const deps: ControllerDeps = { client, events, clock, log: () => {} };
  const controllers = [
    new EndpointSliceMirroringController(deps, { resyncPeriodMs: 0 }),
    new EndpointSliceController(deps, { resyncPeriodMs: 0 }),
  ];
  for (const c of controllers) c.start();
  return {
    client,
    events,
    settle: () => settle(client, controllers),
    stop: () => {
      for (const c of controllers) c.stop();
    },
  };
}

type H = ReturnType<typeof harness>;

const service = (h: H, name: string, spec: Service['spec']) =>
  h.client.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { clusterIP: '10.96.0.30', ports: [{ name: 'pg', port: 5432 }], ...spec },
  });

function setEndpoints(
  h: H,
  name: string,
  subsets: Endpoints['subsets'],
  labels?: Record<string, string>,
): Eps {
  const cur = h.client.get<Eps>('endpoints', 'default', name);
  if (cur) return h.client.update('endpoints', { ...cur, subsets, metadata: { ...cur.metadata, labels } });
  return h.client.create<Eps>('endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace: 'default', labels },
    subsets,
  });
}

const mirrored = (h: H, name: string): Slice[] =>
  h.client.list<Slice>('endpointslices', {
    namespace: 'default',
    labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${MIRRORING}`,
  });

const PG = [{ name: 'pg', port: 5432, protocol: 'TCP' }];

describe('EndpointSliceMirroringController', () => {
  let h: H;
  afterEach(() => h.stop());

  test('mirrors the Endpoints of a selector-less Service, follows changes, and cleans up', async () => {
    h = harness();
    service(h, 'db', {});
    const ep = setEndpoints(h, 'db', [
      { addresses: [{ ip: '192.168.5.1' }], notReadyAddresses: [{ ip: '192.168.5.2' }], ports: PG },
    ]);
    await h.settle();
    const [slice, ...more] = mirrored(h, 'db');
    assert.equal(more.length, 0);
    assert.match(slice!.metadata.name!, /^db-[a-z0-9]{5}$/);
    assert.deepEqual(slice!.metadata.ownerReferences?.[0]?.uid, ep.metadata.uid);
    assert.deepEqual(slice!.endpoints, [
      { addresses: ['192.168.5.1'], conditions: { ready: true } },
      { addresses: ['192.168.5.2'], conditions: { ready: false } },
    ]);
    const rv = slice!.metadata.resourceVersion;
    await h.settle();
    assert.equal(mirrored(h, 'db')[0]!.metadata.resourceVersion, rv, 'no write without a change');

    setEndpoints(h, 'db', [{ addresses: [{ ip: '192.168.5.3' }], ports: PG }]);
    await h.settle();
    assert.deepEqual(
      mirrored(h, 'db').map((s) => [s.metadata.name, s.endpoints.map((e) => e.addresses[0])]),
      [[slice!.metadata.name, ['192.168.5.3']]],
    );

    // A hand edit of the mirrored slice is put back.
    const edited = mirrored(h, 'db')[0]!;
    h.client.update('endpointslices', { ...edited, endpoints: [] });
    await h.settle();
    assert.equal(mirrored(h, 'db')[0]!.endpoints.length, 1);

    h.client.delete('endpoints', 'default', 'db');
    await h.settle();
    assert.deepEqual(mirrored(h, 'db'), []);
  });

  test('nothing is mirrored for a Service with a selector, skip-mirror, or no Service', async () => {
    h = harness();
    service(h, 'selected', { selector: { app: 'x' } });
    setEndpoints(h, 'selected', [{ addresses: [{ ip: '192.168.5.1' }], ports: PG }]);
    service(h, 'skipped', {});
    setEndpoints(h, 'skipped', [{ addresses: [{ ip: '192.168.5.1' }], ports: PG }], {
      'endpointslice.kubernetes.io/skip-mirror': 'true',
    });
    setEndpoints(h, 'orphan', [{ addresses: [{ ip: '192.168.5.1' }], ports: PG }]);
    await h.settle();
    assert.deepEqual(mirrored(h, 'selected'), []);
    assert.deepEqual(mirrored(h, 'skipped'), []);
    assert.deepEqual(mirrored(h, 'orphan'), []);
  });

  test('the slices go when the Service gains a selector or the Endpoints opt out', async () => {
    h = harness();
    const svc = service(h, 'db', {});
    setEndpoints(h, 'db', [{ addresses: [{ ip: '192.168.5.1' }], ports: PG }]);
    await h.settle();
    assert.equal(mirrored(h, 'db').length, 1);
    h.client.update('services', { ...svc, spec: { ...svc.spec, selector: { app: 'db' } } });
    await h.settle();
    assert.deepEqual(mirrored(h, 'db'), []);
    const cur = h.client.get<Service & KubeObject>('services', 'default', 'db')!;
    h.client.update('services', { ...cur, spec: { ...cur.spec, selector: {} } });
    await h.settle();
    assert.equal(mirrored(h, 'db').length, 1, 'an empty selector is no selector');
    setEndpoints(h, 'db', [{ addresses: [{ ip: '192.168.5.1' }], ports: PG }], {
      'endpointslice.kubernetes.io/skip-mirror': 'true',
    });
    await h.settle();
    assert.deepEqual(mirrored(h, 'db'), []);
  });

  test('addresses beyond 1000 per subset are left out, with a Warning event', async () => {
    h = harness();
    service(h, 'big', {});
    const addresses = Array.from({ length: 1003 }, (_, i) => ({
      ip: `10.3.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    }));
    setEndpoints(h, 'big', [{ addresses, ports: PG }]);
    await h.settle();
    const slices = mirrored(h, 'big');
    assert.deepEqual(
      slices.map((s) => s.endpoints.length),
      [1000],
    );
    assert.ok(
      h.events.events.some(
        (e) =>
          e.reason === 'TooManyAddressesToMirror' &&
          e.involved.kind === 'Endpoints' &&
          e.message.endsWith('3 addresses were skipped'),
      ),
    );
  });
});
