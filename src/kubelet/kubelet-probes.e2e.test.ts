/**
 * The kubelet end to end (root), probe kinds the other e2e files do not cover: tcpSocket, grpc
 * (a grpc.health.v1 server in a `node` container answering SERVING, and NOT_SERVING for the
 * service "sick"), httpGet with scheme HTTPS and httpHeaders (the server answers 200 only with
 * the header), and a startupProbe holding liveness back until it succeeds. One pod, one
 * container per case, all sharing the pod's network namespace; driven by kubectl.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../test/e2e/harness.js';
import { PodServer } from './testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;
let certDir: string;

/** CommonJS, so `node /srv/servers.cjs MODE` runs without a package.json. */
const SERVERS = `const fs = require('node:fs');
const mode = process.argv[2];
if (mode === 'grpc') {
  const server = require('node:http2').createServer();
  server.on('stream', (stream, headers) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      // HealthCheckRequest: 5-byte gRPC frame header, then field 1 (service) as 0x0a LEN BYTES.
      const service = body[5] === 0x0a ? body.subarray(7, 7 + body[6]).toString() : '';
      const ok = headers[':path'] === '/grpc.health.v1.Health/Check';
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': ok ? '0' : '12' }));
      stream.end(ok ? Buffer.from([0, 0, 0, 0, 2, 0x08, service === 'sick' ? 2 : 1]) : undefined);
    });
  });
  server.listen(9090);
} else {
  const tls = { key: fs.readFileSync('/tls/tls.key'), cert: fs.readFileSync('/tls/tls.crt') };
  require('node:https')
    .createServer(tls, (req, res) => {
      res.writeHead(req.headers['x-probe'] === 'yes' ? 200 : 403);
      res.end();
    })
    .listen(8443);
}
`;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: probes}
spec:
  terminationGracePeriodSeconds: 1
  volumes:
  - {name: servers, configMap: {name: probe-servers}}
  - {name: tls, secret: {secretName: probe-tls}}
  containers:
  - name: tcp
    image: busybox
    command: [busybox, httpd, -f, -p, '7001']
    readinessProbe: {tcpSocket: {port: 7001}, periodSeconds: 1}
  - name: grpc
    image: node
    command: [node, /srv/servers.cjs, grpc]
    volumeMounts: [{name: servers, mountPath: /srv}]
    readinessProbe: {grpc: {port: 9090}, periodSeconds: 1}
  - name: sick
    image: busybox
    command: [sleep, '3600']
    readinessProbe: {grpc: {port: 9090, service: sick}, periodSeconds: 1}
  - name: https
    image: node
    command: [node, /srv/servers.cjs, https]
    volumeMounts: [{name: servers, mountPath: /srv}, {name: tls, mountPath: /tls}]
    readinessProbe:
      httpGet: {scheme: HTTPS, port: 8443, path: /, httpHeaders: [{name: X-Probe, value: 'yes'}]}
      periodSeconds: 1
  - name: noheader
    image: busybox
    command: [sleep, '3600']
    readinessProbe: {httpGet: {scheme: HTTPS, port: 8443, path: /}, periodSeconds: 1}
  - name: slowstart
    image: busybox
    command: [sh, -c, 'sleep 5; touch /tmp/started; exec sleep 3600']
    startupProbe: {exec: {command: [test, -f, /tmp/started]}, periodSeconds: 1, failureThreshold: 30}
    livenessProbe: {exec: {command: [test, -f, /tmp/started]}, periodSeconds: 1, failureThreshold: 1}
`;

describe('kubelet: every probe kind through kubectl (root)', { timeout: 120_000 }, () => {
  before(async () => {
    certDir = mkdtempSync('/tmp/podbay-probe-tls-');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=probes'].concat([
        '-keyout',
        join(certDir, 'tls.key'),
        '-out',
        join(certDir, 'tls.crt'),
      ]),
      { stdio: 'ignore' },
    );
    await ps.start();
  });

  after(async () => {
    rmSync(certDir, { recursive: true, force: true });
    await ps.close();
  });

  test('tcpSocket, grpc, HTTPS with headers pass; NOT_SERVING and a missing header fail; startup gates liveness', async () => {
    await server.k(['create', 'configmap', 'probe-servers', `--from-literal=servers.cjs=${SERVERS}`]);
    await server.k([
      'create',
      'secret',
      'tls',
      'probe-tls',
      `--cert=${join(certDir, 'tls.crt')}`,
      `--key=${join(certDir, 'tls.key')}`,
    ]);
    await ps.apply(POD);
    const statuses = async () =>
      new Map(((await ps.getPod('probes')).status?.containerStatuses ?? []).map((c) => [c.name, c]));
    await waitFor(
      async () => {
        const s = await statuses();
        return ['tcp', 'grpc', 'https', 'slowstart'].every((n) => s.get(n)?.ready === true);
      },
      'the passing probes to make their containers ready',
      60_000,
    );
    const events = async () => ps.events('probes');
    await waitFor(
      async () => /Readiness probe failed: HTTP probe failed with statuscode: 403/.test(await events()),
      'the header-less HTTPS probe to fail with 403',
    );
    assert.match(
      await events(),
      /Readiness probe failed: service unhealthy \(responded with "NOT_SERVING"\)/,
    );
    const s = await statuses();
    assert.equal(s.get('sick')?.ready, false);
    assert.equal(s.get('noheader')?.ready, false);
    const slow = s.get('slowstart');
    assert.equal(slow?.started, true);
    assert.equal(slow?.restartCount, 0, 'liveness did not run before the startup probe passed');
    assert.doesNotMatch(await events(), /Liveness probe failed/);
    const all = JSON.parse(
      await server.k(['get', 'events', '--field-selector', 'involvedObject.name=probes', '-o', 'json']),
    ) as { items: { reason: string; involvedObject: { fieldPath?: string } }[] };
    const paths = new Set(
      all.items.filter((e) => e.reason === 'Unhealthy').map((e) => e.involvedObject.fieldPath),
    );
    assert.ok(
      paths.has('spec.containers{sick}') && paths.has('spec.containers{noheader}'),
      [...paths].join(' '),
    );
    await ps.deleteAndVerifyGone('probes');
    await server.k(['delete', 'configmap', 'probe-servers']);
    await server.k(['delete', 'secret', 'probe-tls']);
  });
});
