import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { DEFAULT_RESOURCES, FakeClient, type FakeResource } from '../testing/fake-client.js';
import { FakeEventRecorder } from '../testing/fake-events.js';
import { type Harness, ManualClock, setPodReady } from '../testing/harness.js';
import { type Quiet, settle } from '../testing/settle.js';
import { EndpointSliceController } from './controller.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './labels.js';

type Slice = EndpointSlice & KubeObject;
type P = Pod & KubeObject;

/** The fake API with EndpointSlices served, as the engine's catalog serves them. */
const RESOURCES: readonly FakeResource[] = [
  ...DEFAULT_RESOURCES,
  { resource: 'endpointslices', namespaced: true, group: 'discovery.k8s.io', kind: 'EndpointSlice' },
];

function newSliceHarness(resources: readonly FakeResource[] = RESOURCES): Harness {
  const clock = new ManualClock();
  const client = new FakeClient({ clock, resources });
  const events = new FakeEventRecorder();
  const logs: string[] = [];
  const deps: ControllerDeps = {
    client,
    events,
    clock,
    log: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
  };
  let running: Quiet[] = [];
  return {
    client,
    events,
    clock,
    deps,
    logs,
    settle: () => settle(client, running),
    run(...controllers) {
      running = controllers;
      for (const c of controllers) c.start();
      return () => {
        for (const c of controllers) c.stop();
      };
    },
  };
}

function service(h: Harness, spec: Service['spec'], name = 'web'): Service & KubeObject {
  return h.client.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { team: 'a' } },
    spec: { clusterIP: '10.96.0.10', ...spec },
  });
}

function pod(h: Harness, name: string, labels: Record<string, string>): P {
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

const slicesOf = (h: Harness, svc = 'web'): Slice[] =>
  h.client.list<Slice>('endpointslices', {
    namespace: 'default',
    labelSelector: `${SERVICE_NAME_LABEL}=${svc}`,
  });

const HTTP = { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' } as const;

describe('EndpointSliceController', () => {
  let stop = () => {};
  afterEach(() => stop());

  test('one slice per Service: placeholder first, then pods with conditions; unrelated changes write nothing', async () => {
    const h = newSliceHarness();
    stop = h.run(new EndpointSliceController(h.deps, { resyncPeriodMs: 0 }));
    const svc = service(h, { selector: { app: 'web' }, ports: [HTTP] });
    const a = pod(h, 'a', { app: 'web' });
    const b = pod(h, 'b', { app: 'web' });
    pod(h, 'other', { app: 'db' });
    await h.settle();
    // Pods without IPs give no endpoints: a placeholder slice says the Service is handled.
    const [placeholder, ...more] = slicesOf(h);
    assert.equal(more.length, 0);
    assert.match(placeholder!.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(placeholder!.metadata.generateName, 'web-');
    assert.deepEqual(placeholder!.metadata.labels, {
      team: 'a',
      [SERVICE_NAME_LABEL]: 'web',
      [MANAGED_BY_LABEL]: 'endpointslice-controller.k8s.io',
    });
    assert.deepEqual(placeholder!.metadata.ownerReferences, [
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: svc.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.equal(placeholder!.addressType, 'IPv4');
    assert.deepEqual([placeholder!.ports, placeholder!.endpoints], [[], []]);

    const readyA = setPodReady(h, a, true);
    const notReadyB = setPodReady(h, b, false);
    await h.settle();
    const [slice, ...extra] = slicesOf(h);
    assert.equal(extra.length, 0);
    assert.equal(slice!.metadata.name, placeholder!.metadata.name, 'the placeholder is reused');
    const endpoint = (p: P, ready: boolean) => ({
      addresses: [p.status!.podIP!],
      conditions: { ready, serving: ready, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: p.metadata.name, uid: p.metadata.uid },
      nodeName: 'node-1',
    });
    assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(slice!.endpoints, [endpoint(readyA, true), endpoint(notReadyB, false)]);

    const rv = slice!.metadata.resourceVersion;
    const cur = h.client.get<P>('pods', 'default', 'a')!;
    h.client.update('pods', { ...cur, metadata: { ...cur.metadata, annotations: { note: 'x' } } });
    await h.settle();
    assert.equal(slicesOf(h)[0]!.metadata.resourceVersion, rv, 'no write without a change');

    setPodReady(h, notReadyB, true);
    await h.settle();
    assert.deepEqual(
      slicesOf(h)[0]!.endpoints.map((e) => e.conditions?.ready),
      [true, true],
    );
    // Relabelling a pod away from the selector removes its endpoint.
    const curB = h.client.get<P>('pods', 'default', 'b')!;
    h.client.update('pods', { ...curB, metadata: { ...curB.metadata, labels: { app: 'gone' } } });
    await h.settle();
    assert.deepEqual(
      slicesOf(h)[0]!.endpoints.map((e) => e.targetRef?.name),
      ['a'],
    );
    // A terminating pod stays, serving but not ready.
    const curA = h.client.get<P>('pods', 'default', 'a')!;
    h.client.update('pods', { ...curA, metadata: { ...curA.metadata, finalizers: ['test/hold'] } });
    h.client.delete('pods', 'default', 'a');
    await h.settle();
    assert.deepEqual(slicesOf(h)[0]!.endpoints[0]!.conditions, {
      ready: false,
      serving: true,
      terminating: true,
    });

    h.client.delete('services', 'default', 'web');
    await h.settle();
    assert.deepEqual(slicesOf(h), []);
  });

  test('splits beyond 100 endpoints and merges back as pods go', async () => {
    const h = newSliceHarness();
    stop = h.run(new EndpointSliceController(h.deps, { resyncPeriodMs: 0 }));
    service(h, { selector: { app: 'web' }, ports: [HTTP] });
    const pods = Array.from({ length: 230 }, (_, i) => setPodReady(h, pod(h, `p${i}`, { app: 'web' })));
    await h.settle();
    const sizes = () =>
      slicesOf(h)
        .map((s) => s.endpoints.length)
        .sort((x, y) => y - x);
    assert.deepEqual(sizes(), [100, 100, 30]);
    const names = new Set(slicesOf(h).flatMap((s) => s.endpoints.map((e) => e.targetRef!.name)));
    assert.equal(names.size, 230, 'every pod is listed exactly once');
    for (const p of pods.slice(0, 150)) h.client.delete('pods', 'default', p.metadata.name!);
    await h.settle();
    const left = slicesOf(h).flatMap((s) => s.endpoints.map((e) => e.targetRef!.name!));
    assert.deepEqual(
      left.sort(),
      pods
        .slice(150)
        .map((p) => p.metadata.name!)
        .sort(),
    );
    assert.ok(
      sizes().every((n) => n > 0 && n <= 100),
      `no empty or oversized slice: ${sizes()}`,
    );
  });

  test('pods resolving a named port differently get separate slices', async () => {
    const h = newSliceHarness();
    stop = h.run(new EndpointSliceController(h.deps, { resyncPeriodMs: 0 }));
    service(h, { selector: { app: 'web' }, ports: [HTTP] });
    setPodReady(h, pod(h, 'a', { app: 'web' }));
    const other = h.client.create<P>('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'b', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 9090 }] }] },
    });
    setPodReady(h, other);
    await h.settle();
    const byPort = slicesOf(h)
      .map((s) => [s.ports?.[0]?.port, s.endpoints.map((e) => e.targetRef?.name)])
      .sort();
    assert.deepEqual(byPort, [
      [8080, ['a']],
      [9090, ['b']],
    ]);
  });

  test('a hand-edited slice is put back; slices managed by others are left alone', async () => {
    const h = newSliceHarness();
    stop = h.run(new EndpointSliceController(h.deps, { resyncPeriodMs: 0 }));
    service(h, { selector: { app: 'web' }, ports: [HTTP] });
    setPodReady(h, pod(h, 'a', { app: 'web' }));
    h.client.create('endpointslices', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-manual',
        namespace: 'default',
        labels: { [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: 'someone-else' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.9.9.9'] }],
    } as Slice);
    await h.settle();
    const ours = slicesOf(h).find(
      (s) => s.metadata.labels?.[MANAGED_BY_LABEL] === 'endpointslice-controller.k8s.io',
    )!;
    h.client.update('endpointslices', { ...ours, endpoints: [] });
    await h.settle();
    assert.equal(h.client.get<Slice>('endpointslices', 'default', ours.metadata.name!)!.endpoints.length, 1);
    assert.deepEqual(h.client.get<Slice>('endpointslices', 'default', 'web-manual')!.endpoints, [
      { addresses: ['10.9.9.9'] },
    ]);
  });

  test('headless, selector-less and ExternalName Services', async () => {
    const h = newSliceHarness();
    stop = h.run(new EndpointSliceController(h.deps, { resyncPeriodMs: 0 }));
    service(h, { selector: { app: 'web' }, clusterIP: 'None' });
    service(h, { ports: [{ port: 80 }] }, 'manual');
    service(h, { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' } }, 'ext');
    setPodReady(h, pod(h, 'a', { app: 'web' }));
    await h.settle();
    const [headless] = slicesOf(h);
    assert.equal(headless!.metadata.labels?.['service.kubernetes.io/headless'], '');
    assert.deepEqual(headless!.ports, []);
    assert.equal(headless!.endpoints[0]!.targetRef?.name, 'a');
    assert.deepEqual(slicesOf(h, 'manual'), []);
    assert.deepEqual(slicesOf(h, 'ext'), []);
  });

  test("mirrors the `kubernetes` Service's Endpoints into the slice `kubernetes`", async () => {
    const h = newSliceHarness();
    stop = h.run(new EndpointSliceController(h.deps, { resyncPeriodMs: 0 }));
    service(h, { ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }] }, 'kubernetes');
    const ep = h.client.create<Endpoints & KubeObject>('endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default' },
      subsets: [
        { addresses: [{ ip: '192.168.1.5' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
      ],
    });
    await h.settle();
    const mirrored = () => h.client.get<Slice>('endpointslices', 'default', 'kubernetes');
    assert.deepEqual(mirrored()?.metadata.labels, { [SERVICE_NAME_LABEL]: 'kubernetes' });
    assert.equal(mirrored()?.addressType, 'IPv4');
    assert.deepEqual(mirrored()?.ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
    assert.deepEqual(mirrored()?.endpoints, [{ addresses: ['192.168.1.5'], conditions: { ready: true } }]);
    h.client.update('endpoints', {
      ...ep,
      subsets: [{ addresses: [{ ip: '192.168.1.6' }], ports: ep.subsets![0]!.ports }],
    });
    await h.settle();
    assert.deepEqual(mirrored()?.endpoints[0]?.addresses, ['192.168.1.6']);
    h.client.delete('endpoints', 'default', 'kubernetes');
    await h.settle();
    assert.equal(mirrored(), undefined);
  });

  test('stays idle when the API does not serve EndpointSlices', async () => {
    const h = newSliceHarness(DEFAULT_RESOURCES);
    const c = new EndpointSliceController(h.deps, { resyncPeriodMs: 0 });
    stop = h.run(c);
    service(h, { selector: { app: 'web' }, ports: [HTTP] });
    await h.settle();
    assert.ok(h.logs.some((l) => l.startsWith('endpointslice: endpointslices.discovery.k8s.io not served')));
  });
});
