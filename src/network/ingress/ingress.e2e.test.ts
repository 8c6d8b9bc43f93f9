/**
 * Ingress end to end (root): the stock kubectl against a real `podbay server` running pods, with
 * its ingress controller on free loopback ports, and curl as the learner's client. Two
 * Deployments behind Services (busybox httpd), `kubectl create ingress` with two path rules (the
 * class comes from the default IngressClass `podbay`), requests with Host headers reach each; a
 * backend Service that does not exist is 503, an unknown host 404; a TLS rule whose Secret was
 * made by `kubectl create secret tls` answers HTTPS with that certificate (curl verifies it against
 * the certificate itself). Everything is deleted; the server's shutdown check proves the machine clean.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { waitFor } from '../../../test/e2e/harness.js';
import { PodServer } from '../../kubelet/testing/pod-server.js';

const run = promisify(execFile);
const ps = new PodServer();
const server = ps.server;
const tmp = mkdtempSync(join(tmpdir(), 'podbay-ingress-e2e-'));

/**
 * A Deployment + Service `name` whose busybox httpd answers `/<file>` with `<body>`. httpd is the
 * container's PID 1 and ignores SIGTERM: a grace period of 1 s keeps deletion short.
 */
const webApp = (name: string, file: string, body: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: busybox:1.36
        command: [sh, -c, 'mkdir -p /www && echo ${body} > /www/${file} && exec httpd -f -p 80 -h /www']
        ports: [{containerPort: 80}]
        readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: 80}]
`;

/** curl's status code and body (never throws on HTTP errors). */
async function curl(args: string[]): Promise<{ code: string; body: string }> {
  const { stdout } = await run('curl', ['-sS', '--max-time', '5', '-w', '\n%{http_code}', ...args]);
  const at = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, at), code: stdout.slice(at + 1) };
}

async function ingressPorts(name: string): Promise<{ ip: string; http: number; https: number }> {
  let lb: { ip: string; ports: { port: number }[] } | undefined;
  await waitFor(async () => {
    const ing = JSON.parse(await server.k(['get', 'ingress', name, '-o', 'json']));
    lb = ing.status?.loadBalancer?.ingress?.[0];
    // The HTTPS port joins once that listener is up (its certificate is made in the background).
    return lb?.ports?.length === 2;
  }, `status.loadBalancer of ingress ${name}`);
  return { ip: lb!.ip, http: lb!.ports[0]!.port, https: lb!.ports[1]!.port };
}

describe('networking.k8s.io/v1 Ingress (kubectl, curl, root)', { timeout: 240_000 }, () => {
  let http = 0;
  let https = 0;

  before(async () => {
    await ps.start(['--ingress-http', '127.0.0.1:0', '--ingress-https', '127.0.0.1:0']);
    await server.k(
      ['apply', '-f', '-'],
      `${webApp('svc-a', 'a', 'hello-from-a')}---\n${webApp('svc-b', 'b', 'hello-from-b')}`,
    );
    for (const d of ['svc-a', 'svc-b']) {
      const r = await server.kubectl(
        ['rollout', 'status', `deployment/${d}`, '--timeout=90s'],
        undefined,
        100_000,
      );
      assert.equal(
        r.code,
        0,
        `rollout status ${d}: ${r.stderr}\n${await server.k(['get', 'pods', '-o', 'wide'])}`,
      );
    }
  });

  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await ps.close();
  });

  test('the built-in IngressClass', async () => {
    const out = await server.k(['get', 'ingressclass']);
    assert.match(out, /^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE\n/);
    assert.match(out, /\npodbay\s+podbay\.io\/ingress\s+<none>\s+\S+\n/);
  });

  test('kubectl create ingress: class defaulted, columns, status with the listeners', async () => {
    await server.k([
      'create',
      'ingress',
      'demo',
      '--rule=foo.local/a*=svc-a:80',
      '--rule=foo.local/b*=svc-b:80',
      '--rule=foo.local/missing=svc-missing:80',
    ]);
    ({ http, https } = await ingressPorts('demo'));
    assert.ok(http > 0 && https > 0);
    const table = await server.k(['get', 'ing', 'demo']);
    assert.match(table, /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\n/);
    assert.match(table, /\ndemo\s+podbay\s+foo\.local\s+127\.0\.0\.1\s+80\s+\S+\n/);
  });

  test('curl with Host headers reaches each backend; 503 and 404', async () => {
    const url = (path: string) => `http://127.0.0.1:${http}${path}`;
    // Endpoints follow readiness: the first answers may still be 503.
    await waitFor(
      async () => (await curl(['-H', 'Host: foo.local', url('/a')])).code === '200',
      'svc-a routed',
    );
    assert.deepEqual(await curl(['-H', 'Host: foo.local', url('/a')]), {
      code: '200',
      body: 'hello-from-a\n',
    });
    await waitFor(
      async () => (await curl(['-H', 'Host: foo.local', url('/b')])).code === '200',
      'svc-b routed',
    );
    assert.deepEqual(await curl(['-H', 'Host: foo.local', url('/b')]), {
      code: '200',
      body: 'hello-from-b\n',
    });
    assert.equal((await curl(['-H', 'Host: foo.local', url('/missing')])).code, '503');
    assert.equal((await curl(['-H', 'Host: unknown.local', url('/a')])).code, '404');
    // Prefix by path element: /ab is neither /a nor /b.
    assert.equal((await curl(['-H', 'Host: foo.local', url('/ab')])).code, '404');
  });

  test('a TLS rule answers HTTPS with the certificate of its kubectl-made secret', async () => {
    const crt = join(tmp, 'tls.crt');
    const key = join(tmp, 'tls.key');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=secure.local',
      '-addext',
      'subjectAltName=DNS:secure.local',
      '-keyout',
      key,
      '-out',
      crt,
    ]);
    await server.k(['create', 'secret', 'tls', 'secure-tls', `--cert=${crt}`, `--key=${key}`]);
    await server.k(['create', 'ingress', 'secure', '--rule=secure.local/a*=svc-a:80,tls=secure-tls']);
    await ingressPorts('secure');
    assert.match(
      await server.k(['get', 'ing', 'secure']),
      /\nsecure\s+podbay\s+secure\.local\s+127\.0\.0\.1\s+80, 443\s+/,
    );
    const target = [
      '--cacert',
      crt,
      '--resolve',
      `secure.local:${https}:127.0.0.1`,
      `https://secure.local:${https}/a`,
    ];
    let last: unknown;
    const ok = await waitFor(async () => {
      last = await curl(target).catch((e: Error) => e.message);
      return (last as { code?: string }).code === '200';
    }, 'HTTPS with the secret').then(
      () => true,
      () => false,
    );
    assert.ok(ok, `curl: ${JSON.stringify(last)}`);
    assert.deepEqual(last, { code: '200', body: 'hello-from-a\n' });
  });

  test('deleting the Ingresses, the apps and the secret', async () => {
    await server.k(['delete', 'ingress', 'demo', 'secure']);
    await server.k(['delete', 'deployment,service', 'svc-a', 'svc-b']);
    await server.k(['delete', 'secret', 'secure-tls']);
    await waitFor(
      async () => (await server.k(['get', 'pods', '-o', 'name'])).trim() === '',
      'pods gone',
      60_000,
    );
    assert.equal((await server.k(['get', 'ing', '-o', 'name'])).trim(), '');
  });
});
