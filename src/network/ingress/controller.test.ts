/**
 * The ingress controller in process, without root: a real registry for Ingresses, IngressClasses
 * and Secrets, a stand-in for the node's Service mirror whose endpoints are HTTP servers on
 * loopback (EndpointSlice validation refuses loopback addresses, so the slices are not stored),
 * and real requests to the controller's listeners: routing, 404, 503, round-robin, forwarded
 * headers, WebSocket-style upgrade, SNI certificates, malformed requests, status.
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { waitFor } from '@podbay/test-support';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import type { KubeObject } from '../../api/types.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { endpointSlice, ready } from '../testing/slices.js';
import { IngressController } from './controller.js';
import { selfSignedCertificate } from './fake-certificate.js';

/** Backends: each answers `<name> <method> <url> xff=<X-Forwarded-For> proto=<...> host=<Host>`, and echoes upgraded bytes. */
function backend(name: string, host = '127.0.0.1'): Promise<Server> {
  const s = createServer((req, res) => {
    const h = req.headers;
    res.end(
      `${name} ${req.method} ${req.url} xff=${h['x-forwarded-for']} proto=${h['x-forwarded-proto']} host=${h.host} fhost=${h['x-forwarded-host']}`,
    );
  });
  s.on('upgrade', (req, socket, head) => {
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\n\r\n${name}:`,
    );
    socket.write(head);
    socket.pipe(socket);
  });
  return new Promise((r) => s.listen(0, host, () => r(s)));
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

/** The node's Service mirror, as the controller reads it. */
class FakeServiceMirror {
  generation = 0;
  services: Service[] = [];
  slices: EndpointSlice[] = [];
  readonly #listeners = new Set<() => void>();
  list<T extends KubeObject>(resource: string): T[] {
    return (resource === 'services' ? this.services : this.slices) as unknown as T[];
  }
  onChange(l: () => void): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
  set(services: Service[], slices: EndpointSlice[]): void {
    this.services = services;
    this.slices = slices;
    this.generation++;
    for (const l of this.#listeners) l();
  }
}

const svc = (name: string): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
});

function get(
  port: number,
  host: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw bytes over one connection, until the server closes it or `until` matches. */
function raw(port: number, text: string, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(text));
    let got = '';
    s.on('data', (d) => {
      got += d;
      if (until?.test(got)) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

function peerCN(port: number, servername: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect(
      { host: '127.0.0.1', port, rejectUnauthorized: false, ...(servername && { servername }) },
      () => {
        const cn = s.getPeerCertificate().subject?.CN ?? '';
        s.destroy();
        resolve(String(cn));
      },
    );
    s.on('error', reject);
  });
}

describe('ingress controller (in process)', { timeout: 60_000 }, () => {
  let api: TestApi;
  const mirror = new FakeServiceMirror();
  let a1: Server;
  let a2: Server;
  let b: Server;
  let controller: IngressController;
  let http = 0;
  let https = 0;
  const events: string[] = [];

  before(async () => {
    api = startTestApi();
    [a1, a2, b] = await Promise.all([backend('a1'), backend('a2', '127.0.0.2'), backend('b')]);
    const ports = (s: Server) => [{ name: 'http', port: portOf(s), protocol: 'TCP' as const }];
    // svc-a has two endpoints, in two slices: a1 on 127.0.0.1, a2 on 127.0.0.2.
    mirror.set(
      [svc('svc-a'), svc('svc-b'), svc('svc-empty')],
      [
        endpointSlice('default', 'svc-a', { endpoints: [ready('127.0.0.1')], ports: ports(a1) }, 'svc-a-1'),
        endpointSlice('default', 'svc-a', { endpoints: [ready('127.0.0.2')], ports: ports(a2) }, 'svc-a-2'),
        endpointSlice('default', 'svc-b', { endpoints: [ready('127.0.0.1')], ports: ports(b) }),
      ],
    );
    api.client.create('ingressclasses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'podbay', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'podbay.io/ingress' },
    });
    controller = new IngressController({
      client: api.client,
      serviceMirror: mirror,
      http: { host: '127.0.0.1', port: 0 },
      https: { host: '127.0.0.1', port: 0 },
      address: '127.0.0.1',
      clock: { now: () => new Date() },
      log: () => {},
      events: {
        event: (o, type, reason, message) => events.push(`${o.metadata?.name} ${type} ${reason} ${message}`),
      },
    });
    await controller.start();
    await controller.httpsReady;
    http = controller.ports.http!;
    https = controller.ports.https!;
  });

  after(async () => {
    await controller.stop();
    await controller.stop();
    for (const s of [a1, a2, b]) s.close();
    api.close();
  });

  const path = (p: string, pathType: string, service: string) => ({
    path: p,
    pathType,
    backend: { service: { name: service, port: { number: 80 } } },
  });

  test('routes by host and path; 404 and 503; status carries the listeners', async () => {
    api.client.create('ingresses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'demo', namespace: 'default' },
      spec: {
        ingressClassName: 'podbay',
        rules: [
          {
            host: 'foo.local',
            http: {
              paths: [
                path('/a', 'Prefix', 'svc-a'),
                path('/b', 'Prefix', 'svc-b'),
                path('/gone', 'Exact', 'svc-none'),
                path('/empty', 'Exact', 'svc-empty'),
              ],
            },
          },
        ],
      },
    });
    const lb = () =>
      api.client.get<Ingress & KubeObject>('ingresses', 'default', 'demo')?.status?.loadBalancer;
    await waitFor('status.loadBalancer', () => (lb()?.ingress?.length ?? 0) > 0);
    assert.deepEqual(lb()?.ingress, [
      {
        ip: '127.0.0.1',
        ports: [
          { port: http, protocol: 'TCP' },
          { port: https, protocol: 'TCP' },
        ],
      },
    ]);
    const b1 = await get(http, 'foo.local', '/b/x?q=1', { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(b1.status, 200);
    assert.equal(
      b1.body,
      'b GET /b/x?q=1 xff=203.0.113.9, 127.0.0.1 proto=http host=foo.local fhost=foo.local',
    );
    assert.equal((await get(http, 'foo.local', '/bx')).status, 404);
    assert.equal((await get(http, 'other.local', '/a')).status, 404);
    assert.match((await get(http, 'foo.local', '/gone')).body, /503 Service Temporarily Unavailable/);
    assert.equal((await get(http, 'foo.local', '/empty')).status, 503);
    // Status writes do not announce again; a spec change does.
    assert.deepEqual(events, ['demo Normal Sync Scheduled for sync']);
    const demo = api.client.get<Ingress & KubeObject>('ingresses', 'default', 'demo')!;
    demo.spec!.rules![0]!.http!.paths.push(path('/c', 'Exact', 'svc-b'));
    api.client.update('ingresses', demo);
    await waitFor('a second Sync event', () => events.length === 2);
    assert.equal((await get(http, 'foo.local', '/c')).body.split(' ')[0], 'b');
  });

  test('rewrite-target (ingress-nginx): the upstream gets the rewritten path', async () => {
    api.client.create('ingresses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'rewrite',
        namespace: 'default',
        annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
      },
      spec: {
        rules: [
          {
            host: 'rewrite.local',
            http: { paths: [path('/something(/|$)(.*)', 'ImplementationSpecific', 'svc-b')] },
          },
        ],
      },
    });
    await waitFor(
      'the rewrite route',
      async () => (await get(http, 'rewrite.local', '/something/x')).status === 200,
    );
    assert.match((await get(http, 'rewrite.local', '/something/new?q=1')).body, /^b GET \/new\?q=1 /);
  });

  test('round-robin over the endpoints of a Service port', async () => {
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await get(http, 'foo.local', '/a')).body.split(' ')[0]);
    assert.deepEqual(seen.sort(), ['a1', 'a1', 'a2', 'a2']);
  });

  test('WebSocket-style upgrades are tunnelled', async () => {
    const got = await raw(
      http,
      'GET /b/ws HTTP/1.1\r\nHost: foo.local\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nping',
      /b:ping$/,
    );
    assert.match(got, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(got, /b:ping$/);
  });

  test('malformed or unusual requests get an answer, never a crash; the listener goes on', async () => {
    const cases: [string, string, RegExp][] = [
      ['garbage', 'NOT A REQUEST\r\n\r\n', /^HTTP\/1\.1 400 Bad Request/],
      [
        'headers over 16 KiB',
        `GET /b HTTP/1.1\r\nHost: foo.local\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`,
        /^HTTP\/1\.1 400 /,
      ],
      [
        'a bad Content-Length',
        'POST /b HTTP/1.1\r\nHost: foo.local\r\nContent-Length: abc\r\n\r\n',
        /^HTTP\/1\.1 400 /,
      ],
      [
        'response headers keep their case',
        'GET /b HTTP/1.1\r\nHost: foo.local\r\nConnection: close\r\n\r\n',
        /\r\nContent-Length: \d+\r\n/,
      ],
      [
        'absolute-form target',
        'GET http://foo.local/b HTTP/1.1\r\nHost: foo.local\r\nConnection: close\r\n\r\n',
        /^HTTP\/1\.1 200 [\s\S]*\r\n\r\nb GET \/b /,
      ],
      ['HTTP/1.0 without Host: no host-less rule, 404', 'GET /b HTTP/1.0\r\n\r\n', /^HTTP\/1\.1 404 /],
      [
        'an upgrade nothing routes: 404, closed',
        'GET /x HTTP/1.1\r\nHost: nope\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
        /^HTTP\/1\.1 404 /,
      ],
    ];
    for (const [name, text, want] of cases) assert.match(await raw(http, text, want), want, name);
    assert.equal((await get(http, 'foo.local', '/b')).status, 200);
  });

  test('HTTPS: the TLS Secret’s certificate for its host by SNI, the fake one otherwise', async () => {
    // RSA (what openssl and `kubectl create secret tls` recipes make) and ECDSA keys.
    const secret = async (name: string, host: string, keyType: 'RSA' | 'ECDSA') => {
      const { cert, key } = await selfSignedCertificate(new Date(), `CN=${host}`, [host], keyType);
      api.client.create('secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'default' },
        type: 'kubernetes.io/tls',
        data: {
          'tls.crt': Buffer.from(cert).toString('base64'),
          'tls.key': Buffer.from(key).toString('base64'),
        },
      });
    };
    await secret('secure-tls', 'secure.local', 'RSA');
    await secret('ec-tls', 'ec.local', 'ECDSA');
    api.client.create('ingresses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'secure', namespace: 'default' },
      spec: {
        tls: [
          { hosts: ['secure.local'], secretName: 'secure-tls' },
          { hosts: ['ec.local'], secretName: 'ec-tls' },
        ],
        rules: [{ host: 'secure.local', http: { paths: [path('/', 'Prefix', 'svc-b')] } }],
      },
    });
    await waitFor(
      "the secret's certificate",
      async () => (await peerCN(https, 'secure.local')) === 'secure.local',
    );
    assert.equal(await peerCN(https, 'ec.local'), 'ec.local');
    assert.equal(await peerCN(https, 'elsewhere.local'), 'Kubernetes Ingress Controller Fake Certificate');
    assert.equal(await peerCN(https, undefined), 'Kubernetes Ingress Controller Fake Certificate');
  });

  test('only Ingresses of its class: another class is neither routed nor given status', async () => {
    api.client.create('ingresses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'theirs', namespace: 'default' },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'theirs.local', http: { paths: [path('/', 'Prefix', 'svc-b')] } }],
      },
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await get(http, 'theirs.local', '/')).status, 404);
    const ing = api.client.get<Ingress & KubeObject>('ingresses', 'default', 'theirs');
    assert.equal(ing?.status?.loadBalancer?.ingress, undefined);
  });
});
