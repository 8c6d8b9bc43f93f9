import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ExecRunner, ExecTimeoutError, runExecProbe } from './exec-probe.js';
import { decodeServingStatus, encodeCheckRequest, encodeGrpcTimeout, runGrpcProbe } from './grpc-probe.js';
import { runHttpProbe } from './http-probe.js';
import { runProbe } from './run-probe.js';
import { runTcpProbe } from './tcp-probe.js';

const HOST = '127.0.0.1';
let httpServer: http.Server;
let httpPort = 0;
let grpcServer: http2.Http2Server;
let grpcPort = 0;
let closedPort = 0;
const seen: http.IncomingHttpHeaders[] = [];
const grpcTimeouts: string[] = [];

before(async () => {
  httpServer = http.createServer((req, res) => {
    seen.push(req.headers);
    const path = req.url ?? '/';
    if (path === '/ok') res.end('healthy');
    else if (path === '/fail') {
      res.statusCode = 503;
      res.end('down');
    } else if (path === '/same-host') {
      res.writeHead(302, { Location: '/ok' }).end();
    } else if (path === '/other-host') {
      res.writeHead(302, { Location: `http://localhost:${httpPort}/ok` }).end('moved');
    } else if (path.startsWith('/loop')) {
      res.writeHead(302, { Location: `/loop${path.length}` }).end();
    } else if (path === '/big') res.end('x'.repeat(20_000));
    else if (path === '/slow') setTimeout(() => res.end('late'), 1500);
    else if (path === '/moment') setTimeout(() => res.end('a moment'), 30);
    else if (path === '/304') res.writeHead(304).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, HOST, resolve));
  httpPort = (httpServer.address() as AddressInfo).port;

  // A real grpc.health.v1 server speaking HTTP/2 with gRPC framing.
  grpcServer = http2.createServer();
  grpcServer.on('stream', (stream, headers) => {
    grpcTimeouts.push(String(headers['grpc-timeout']));
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
        stream.respond(
          {
            ':status': 200,
            'content-type': 'application/grpc',
            'grpc-status': '12',
            'grpc-message': 'unknown service',
          },
          { endStream: true },
        );
        return;
      }
      const body = Buffer.concat(chunks);
      const len = body.readUInt32BE(1);
      const msg = body.subarray(5, 5 + len);
      const service = msg.length > 2 ? msg.subarray(2).toString() : '';
      const status = service === '' ? 1 : service === 'sleepy' ? 2 : 3;
      const reply = Buffer.from([0x08, status]);
      const frame = Buffer.alloc(5);
      frame.writeUInt32BE(reply.length, 1);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.concat([frame, reply]));
    });
  });
  await new Promise<void>((resolve) => grpcServer.listen(0, HOST, resolve));
  grpcPort = (grpcServer.address() as AddressInfo).port;

  const tmp = net.createServer();
  await new Promise<void>((resolve) => tmp.listen(0, HOST, resolve));
  closedPort = (tmp.address() as AddressInfo).port;
  await new Promise<void>((resolve) => tmp.close(() => resolve()));
});

after(async () => {
  httpServer.closeAllConnections();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  await new Promise<void>((resolve) => grpcServer.close(() => resolve()));
});

const target = (path: string, extra: Partial<Parameters<typeof runHttpProbe>[0]> = {}) => ({
  scheme: 'HTTP' as const,
  host: HOST,
  port: httpPort,
  path,
  headers: [],
  timeoutMs: 1000,
  ...extra,
});

describe('httpGet', () => {
  test('2xx succeeds with the body; kubelet headers are sent', async () => {
    seen.length = 0;
    assert.deepEqual(await runHttpProbe(target('/ok')), { outcome: 'Success', output: 'healthy' });
    assert.equal(seen[0]?.['user-agent'], 'kube-probe/1.32');
    assert.equal(seen[0]?.accept, '*/*');
  });
  test('custom headers replace the defaults, Host included', async () => {
    seen.length = 0;
    await runHttpProbe(
      target('ok', {
        headers: [
          { name: 'User-Agent', value: 'mine' },
          { name: 'X-Probe', value: '1' },
          { name: 'Host', value: 'svc.local' },
        ],
      }),
    );
    assert.equal(seen[0]?.['user-agent'], 'mine');
    assert.equal(seen[0]?.['x-probe'], '1');
    assert.equal(seen[0]?.host, 'svc.local');
  });
  test('status >= 400 fails with kubelet message', async () => {
    assert.deepEqual(await runHttpProbe(target('/fail')), {
      outcome: 'Failure',
      output: 'HTTP probe failed with statuscode: 503',
    });
    assert.equal((await runHttpProbe(target('/nope'))).output, 'HTTP probe failed with statuscode: 404');
  });
  test('redirects: same host followed, other host is a warning, loops stop after 10', async () => {
    assert.deepEqual(await runHttpProbe(target('/same-host')), { outcome: 'Success', output: 'healthy' });
    assert.deepEqual(await runHttpProbe(target('/other-host')), {
      outcome: 'Warning',
      output: 'Probe terminated redirects, Response body: moved',
    });
    const loop = await runHttpProbe(target('/loop'));
    assert.equal(loop.outcome, 'Failure');
    assert.match(loop.output, /^Get "http:\/\/127\.0\.0\.1:\d+\/loop\d+": stopped after 10 redirects$/);
    assert.equal((await runHttpProbe(target('/304'))).outcome, 'Warning');
  });
  test('body is cut at 10 KiB', async () => {
    const big = await runHttpProbe(target('/big'));
    assert.equal(big.outcome, 'Success');
    assert.equal(big.output.length, 10 * 1024);
  });
  test("a timeoutSeconds past setTimeout's 2^31-1 ms waits for the reply (it used to fail after 1 ms)", async () => {
    assert.deepEqual(await runHttpProbe(target('/moment', { timeoutMs: 30 * 86_400_000 })), {
      outcome: 'Success',
      output: 'a moment',
    });
  });
  test('timeout and refused connections fail with Go-shaped errors', async () => {
    const slow = await runHttpProbe(target('/slow', { timeoutMs: 200 }));
    assert.equal(slow.outcome, 'Failure');
    assert.match(slow.output, /^Get "http:\/\/127\.0\.0\.1:\d+\/slow": context deadline exceeded/);
    const refused = await runHttpProbe(target('/ok', { port: closedPort }));
    assert.equal(
      refused.output,
      `Get "http://127.0.0.1:${closedPort}/ok": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    );
  });
});

describe('httpGet over HTTPS', () => {
  test('self-signed certificates are accepted, as kubelet skips verification', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podbay-probe-tls-'));
    const server = (() => {
      const key = path.join(dir, 'key.pem');
      const cert = path.join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=podbay-test',
        ],
        { stdio: 'ignore' },
      );
      return https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) =>
        res.end('secure'),
      );
    })();
    try {
      await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
      const port = (server.address() as AddressInfo).port;
      assert.deepEqual(await runHttpProbe(target('/', { scheme: 'HTTPS', port })), {
        outcome: 'Success',
        output: 'secure',
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tcpSocket', () => {
  test('open port succeeds, closed port fails', async () => {
    assert.equal((await runTcpProbe(HOST, httpPort, 1000)).outcome, 'Success');
    assert.deepEqual(await runTcpProbe(HOST, closedPort, 1000), {
      outcome: 'Failure',
      output: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
  });
});

describe('grpc', () => {
  test('SERVING, NOT_SERVING, SERVICE_UNKNOWN', async () => {
    assert.deepEqual(await runGrpcProbe(HOST, grpcPort, '', 1000), {
      outcome: 'Success',
      output: 'service healthy',
    });
    assert.deepEqual(await runGrpcProbe(HOST, grpcPort, 'sleepy', 1000), {
      outcome: 'Failure',
      output: 'service unhealthy (responded with "NOT_SERVING")',
    });
    assert.deepEqual(await runGrpcProbe(HOST, grpcPort, 'other', 1000), {
      outcome: 'Failure',
      output: 'service unhealthy (responded with "SERVICE_UNKNOWN")',
    });
  });
  test('connection refused: retried until the timeout, like grpc.WithBlock', async () => {
    const started = Date.now();
    const r = await runGrpcProbe(HOST, closedPort, '', 300);
    assert.ok(Date.now() - started >= 290, 'waited for the deadline');
    assert.deepEqual(r, {
      outcome: 'Failure',
      output: `timeout: failed to connect service "127.0.0.1:${closedPort}" within 300ms: context deadline exceeded`,
    });
  });
  test('a server that is not a health server', async () => {
    // The HTTP/1 server does not speak h2c: the connection fails.
    const r = await runGrpcProbe(HOST, httpPort, '', 500);
    assert.equal(r.outcome, 'Failure');
  });
  test('a 30-day timeout: the call waits, grpc-timeout keeps to 8 digits in a coarser unit', async () => {
    grpcTimeouts.length = 0;
    assert.equal((await runGrpcProbe(HOST, grpcPort, '', 30 * 86_400_000)).outcome, 'Success');
    assert.deepEqual(grpcTimeouts, ['2592000S']);
  });
  test('grpc-timeout encoding, as grpc-go encodeTimeout', () => {
    assert.equal(encodeGrpcTimeout(1), '1000000n');
    assert.equal(encodeGrpcTimeout(99), '99000000n');
    assert.equal(encodeGrpcTimeout(100), '100000u');
    assert.equal(encodeGrpcTimeout(100_000), '100000m');
    assert.equal(encodeGrpcTimeout(100_000_000), '100000S');
    assert.equal(encodeGrpcTimeout(1e14), '27777778H');
    assert.equal(encodeGrpcTimeout(0), '0n');
  });
  test('wire encoding round-trips', () => {
    assert.deepEqual([...encodeCheckRequest('')], [0, 0, 0, 0, 0]);
    assert.deepEqual([...encodeCheckRequest('ab')], [0, 0, 0, 0, 4, 0x0a, 2, 0x61, 0x62]);
    assert.equal(decodeServingStatus(Buffer.from([0, 0, 0, 0, 2, 0x08, 2])), 2);
    assert.equal(decodeServingStatus(Buffer.from([0, 0, 0, 0, 0])), 0);
    assert.throws(() => decodeServingStatus(Buffer.from([0, 0])), /short gRPC frame/);
  });
});

/** Runs commands on this host: a real ExecRunner standing in for the runtime's. */
const hostExec: ExecRunner = {
  execSync(_id, cmd, timeoutSeconds) {
    return new Promise((resolve, reject) => {
      const options = { timeout: timeoutSeconds * 1000, encoding: 'buffer' as const };
      execFile(cmd[0] ?? '', cmd.slice(1), options, (err, stdout, stderr) => {
        // Like the runtime: a plain error once the timeout killed the command.
        if (err && (err as { killed?: boolean }).killed) reject(new Error('killed after timeout'));
        else if (err && typeof err.code !== 'number') reject(err);
        else resolve({ exitCode: err ? Number(err.code) : 0, stdout, stderr });
      });
    });
  },
};

describe('exec', () => {
  test('exit code decides, output kept', async () => {
    assert.deepEqual(await runExecProbe(hostExec, 'c1', ['sh', '-c', 'echo fine'], 2000), {
      outcome: 'Success',
      output: 'fine\n',
    });
    assert.deepEqual(await runExecProbe(hostExec, 'c1', ['sh', '-c', 'echo bad >&2; exit 3'], 2000), {
      outcome: 'Failure',
      output: 'bad\n',
    });
  });
  test('timeout fails the probe; other runtime errors are probe errors', async () => {
    assert.deepEqual(await runExecProbe(hostExec, 'c1', ['sleep', '5'], 1000), {
      outcome: 'Failure',
      output: 'command "sleep 5" timed out',
    });
    const typed: ExecRunner = { execSync: (_id, cmd) => Promise.reject(new ExecTimeoutError(cmd)) };
    assert.deepEqual(await runExecProbe(typed, 'c1', ['say "hi"'], 1000), {
      outcome: 'Failure',
      output: 'command "say \\"hi\\"" timed out',
    });
    const gone: ExecRunner = { execSync: () => Promise.reject(new Error('container not found')) };
    await assert.rejects(runExecProbe(gone, 'c1', ['true'], 1000), /container not found/);
  });
});

describe('runProbe', () => {
  test('named ports and pod IP target', async () => {
    const container = { name: 'c', ports: [{ name: 'http', containerPort: httpPort }] };
    const ctx = { container, containerId: 'x', podIP: HOST, exec: hostExec };
    assert.equal((await runProbe({ httpGet: { port: 'http', path: '/ok' } }, ctx, 1000)).outcome, 'Success');
    assert.equal((await runProbe({ tcpSocket: { port: String(httpPort) } }, ctx, 1000)).outcome, 'Success');
    await assert.rejects(
      runProbe({ tcpSocket: { port: 'nope' } }, ctx, 1000),
      /^ProbeError: strconv\.Atoi: parsing "nope": invalid syntax$/,
    );
    await assert.rejects(runProbe({ tcpSocket: { port: 70000 } }, ctx, 1000), /invalid port number: 70000/);
    await assert.rejects(runProbe({}, ctx, 1000), /missing probe handler/);
  });
});
