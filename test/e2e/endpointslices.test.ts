/**
 * EndpointSlices end to end with the stock kubectl: the EndpointSlice controller publishes a
 * Service's pods in `discovery.k8s.io/v1` slices, `kubectl get endpointslices` prints
 * upstream's columns, and `kubectl describe svc` (which lists slices by the
 * kubernetes.io/service-name label) shows the ready pod IPs. Readiness changes and pod
 * deletions reach the slice within a second. No kubelet runs here: the test writes pod status
 * through pods/status, exactly what a kubelet sends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer, waitFor } from './harness.js';

const MANIFEST = `apiVersion: v1
kind: Service
metadata: {name: web, labels: {team: a}}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
${['a', 'b', 'c']
  .map(
    (n) => `---
apiVersion: v1
kind: Pod
metadata: {name: web-${n}, labels: {app: web}}
spec:
  containers:
  - name: app
    image: nginx:1.25
    ports: [{name: http, containerPort: 8080}]
`,
  )
  .join('')}`;

interface SliceJson {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
  };
  addressType: string;
  ports?: { name?: string; port?: number; protocol?: string }[];
  endpoints: {
    addresses: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  }[];
}

const IPS: Record<string, string> = { 'web-a': '10.244.1.1', 'web-b': '10.244.1.2', 'web-c': '10.244.1.3' };

describe('EndpointSlices with kubectl', () => {
  const srv = new TestServer();
  before(() => srv.start());
  after(() => srv.destroy());

  /** Plays the kubelet for one pod: Running with its own IP, Ready or not. */
  async function setPodStatus(name: string, ready: boolean): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const cond = (type: string, status: boolean) => ({
      type,
      status: status ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: now,
    });
    const status = {
      phase: 'Running',
      podIP: IPS[name],
      podIPs: [{ ip: IPS[name] }],
      startTime: now,
      conditions: [
        cond('Initialized', true),
        cond('Ready', ready),
        cond('ContainersReady', ready),
        cond('PodScheduled', true),
      ],
    };
    const res = await srv.request(
      'PATCH',
      `/api/v1/namespaces/default/pods/${name}/status`,
      JSON.stringify({ status }),
      { 'Content-Type': 'application/merge-patch+json' },
    );
    assert.equal(res.status, 200, res.body);
  }

  async function slices(service: string): Promise<SliceJson[]> {
    const res = await srv.request(
      'GET',
      `/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${service}`)}`,
    );
    assert.equal(res.status, 200, res.body);
    return JSON.parse(res.body).items;
  }

  /** Milliseconds until `cond` holds for the Service's slices, polling every 20 ms (bounded). */
  async function msUntil(cond: (s: SliceJson[]) => boolean, what: string): Promise<number> {
    const start = Date.now();
    await waitFor(async () => cond(await slices('web')), what, 5_000);
    return Date.now() - start;
  }

  const readyAddresses = (s: SliceJson[]): string[] =>
    s
      .flatMap((x) => x.endpoints)
      .filter((e) => e.conditions?.ready)
      .flatMap((e) => e.addresses)
      .sort();

  test('the Service gets a managed slice; get and describe show the ready pods', async () => {
    await srv.k(['apply', '-f', '-'], MANIFEST);
    await waitFor(async () => (await slices('web')).length === 1, 'the placeholder slice');
    const [placeholder] = await slices('web');
    assert.match(placeholder!.metadata.name, /^web-[a-z0-9]{5}$/);
    assert.deepEqual(placeholder!.metadata.labels, {
      team: 'a',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    assert.deepEqual(
      placeholder!.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}`),
      ['Service/web'],
    );

    await setPodStatus('web-a', true);
    await setPodStatus('web-b', true);
    await setPodStatus('web-c', false);
    await waitFor(
      async () => (await slices('web')).flatMap((s) => s.endpoints).length === 3,
      'three endpoints in the slice',
    );
    const [slice, ...more] = await slices('web');
    assert.equal(more.length, 0);
    assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(readyAddresses([slice!]), ['10.244.1.1', '10.244.1.2']);

    const table = await srv.k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    const [header, row, ...rest] = table.trim().split('\n');
    assert.deepEqual(header!.split(/\s+/), ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    assert.equal(rest.length, 0);
    const cells = row!.split(/\s+/);
    assert.deepEqual(cells.slice(0, 4), [
      slice!.metadata.name,
      'IPv4',
      '8080',
      '10.244.1.1,10.244.1.2,10.244.1.3',
    ]);

    // -v=6 logs each request: describe must read the slices, not fall back to Endpoints.
    const described = await srv.kubectl(['describe', 'svc', 'web', '-v=6']);
    assert.equal(described.code, 0, described.stderr);
    assert.match(
      described.stderr,
      /GET https:\/\/\S+\/apis\/discovery\.k8s\.io\/v1\/namespaces\/default\/endpointslices\?labelSelector=kubernetes\.io%2Fservice-name%3Dweb 200 OK/,
    );
    assert.match(described.stdout, /^Endpoints:\s+10\.244\.1\.1:8080,10\.244\.1\.2:8080$/m);
  });

  test('readiness changes and pod deletions reach the slice within a second', async () => {
    await setPodStatus('web-c', true);
    const readyMs = await msUntil(
      (s) => readyAddresses(s).join() === '10.244.1.1,10.244.1.2,10.244.1.3',
      'web-c ready in the slice',
    );
    assert.ok(readyMs < 1000, `readiness reached the slice after ${readyMs} ms`);

    await setPodStatus('web-a', false);
    const notReadyMs = await msUntil(
      (s) => readyAddresses(s).join() === '10.244.1.2,10.244.1.3',
      'web-a not ready in the slice',
    );
    assert.ok(notReadyMs < 1000, `unreadiness reached the slice after ${notReadyMs} ms`);

    // An unscheduled pod is deleted at once (no kubelet to wait for).
    const res = await srv.request('DELETE', '/api/v1/namespaces/default/pods/web-b');
    assert.equal(res.status, 200, res.body);
    const deletedMs = await msUntil(
      (s) => !s.flatMap((x) => x.endpoints).some((e) => e.addresses.includes('10.244.1.2')),
      'web-b gone from the slice',
    );
    assert.ok(deletedMs < 1000, `a deleted pod left the slice after ${deletedMs} ms`);
    const described = await srv.k(['describe', 'svc', 'web']);
    assert.match(described, /^Endpoints:\s+10\.244\.1\.3:8080$/m);
  });

  test('the kubernetes Service has its mirrored slice', async () => {
    const [k8s] = await slices('kubernetes');
    assert.equal(k8s?.metadata.name, 'kubernetes');
    assert.equal(k8s?.endpoints.length, 1);
    assert.equal(k8s?.endpoints[0]?.conditions?.ready, true);
    assert.equal(k8s?.ports?.[0]?.name, 'https');
  });

  test('strict field validation rejects unknown EndpointSlice fields', async () => {
    const r = await srv.kubectl(
      ['create', '-f', '-'],
      `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: manual}
addressType: IPv4
endpoints:
- addresses: [10.0.0.9]
  bogus: 1
`,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /strict decoding error: unknown field "endpoints\[0\]\.bogus"/);
  });

  test('deleting the Service removes its slices', async () => {
    await srv.k(['delete', 'svc', 'web']);
    await waitFor(async () => (await slices('web')).length === 0, 'slices gone with the Service');
  });
});
