/**
 * The API server's connection limits: a client that stalls in the middle of its request is cut off after
 * the request timeout (408), while a watch, whose request is complete, stays open past it; request
 * headers are limited by bytes as Go's net/http limits kube-apiserver's (1 MiB, then 431). And DELETE
 * options read at the wire as kube-apiserver reads them (the body by its Content-Type, the query only
 * without a body, deletecollection's selectors before the body).
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { MAX_HEADER_BYTES } from './server.js';
import { startTestApiServer, type TestApiServer } from './testing/api-server.js';
import type { TestRegistry } from './testing/registry.js';

const TIMEOUT_MS = 600;

/** Go's net/http answer to request headers past MaxHeaderBytes, byte for byte. */
const GO_431 =
  'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large';

describe('ApiServer at the wire: limits, timeouts, DELETE options', () => {
  let srv: TestApiServer;
  let t: TestRegistry;
  let port = 0;
  let token = '';
  let ca = '';
  before(async () => {
    srv = await startTestApiServer({ requestTimeoutMs: TIMEOUT_MS });
    ({ port, token, ca } = srv);
    t = srv.registry;
  });
  after(() => srv.close());

  /** Writes `bytes` on a new TLS connection; resolves with all the server wrote once it closes. */
  async function rawExchange(bytes: string): Promise<string> {
    const socket = tls.connect({ host: '127.0.0.1', port, ca });
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    let received = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString();
    });
    // The server may close while the rest of an oversized request is still being written.
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve, reject) => {
      const bound = setTimeout(() => {
        socket.destroy();
        reject(new Error('the server never closed the connection'));
      }, 10_000);
      socket.once('close', () => {
        clearTimeout(bound);
        resolve();
      });
    });
    socket.write(bytes);
    await closed;
    return received;
  }

  async function send(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<{ status: number; body: string }> {
    const req = request({
      host: '127.0.0.1',
      port,
      ca,
      method,
      path,
      headers: {
        ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
        ...headers,
        // Sent in key order: after the caller's headers unless the caller placed it.
        ...(headers.Authorization ? {} : { Authorization: `Bearer ${token}` }),
      },
    });
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
      req.end(body);
    });
    let text = '';
    for await (const chunk of res) text += chunk;
    return { status: res.statusCode ?? 0, body: text };
  }

  const configMap = (name: string, labels: Record<string, string> = {}) =>
    t.registry.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default', labels },
    });
  const exists = (name: string) => t.registry.getStored('configmaps', 'default', name) !== undefined;

  test("headers past 1 MiB are Go's 431, body included even for HEAD (they were a 400 with a Status)", async () => {
    const pad = 'x'.repeat(MAX_HEADER_BYTES);
    for (const method of ['GET', 'HEAD']) {
      const reply = await rawExchange(`${method} /version HTTP/1.1\r\nHost: x\r\nX-Pad: ${pad}\r\n\r\n`);
      assert.equal(reply, GO_431, method);
    }
  });

  test('headers up to 1 MiB are served, in any number (past 16 KiB and 2000 headers they were refused)', async () => {
    const big = await send('GET', '/version', { 'X-Pad': 'x'.repeat(512 * 1024) });
    assert.equal(big.status, 200);
    const many: Record<string, string> = {};
    for (let i = 0; i < 2100; i++) many[`X-H${i}`] = 'v';
    // Authorization comes last: Node dropped every header past the 2000th, so this was a 401.
    many.Authorization = `Bearer ${token}`;
    const reply = await send('GET', '/api/v1/namespaces/default', many);
    assert.equal(reply.status, 200);
  });

  test('DELETE reads its body by Content-Type: YAML options apply; an unknown type is a 415', async () => {
    configMap('yaml-delete');
    const refused = await send(
      'DELETE',
      '/api/v1/namespaces/default/configmaps/yaml-delete',
      { 'Content-Type': 'text/plain' },
      'x',
    );
    assert.equal(refused.status, 415);
    assert.equal(JSON.parse(refused.body).reason, 'UnsupportedMediaType');
    const dry = await send(
      'DELETE',
      '/api/v1/namespaces/default/configmaps/yaml-delete',
      { 'Content-Type': 'application/yaml' },
      'apiVersion: v1\nkind: DeleteOptions\ndryRun: [All]\n',
    );
    assert.equal(dry.status, 200, dry.body);
    assert.ok(exists('yaml-delete'), 'a dry run deletes nothing');
    const real = await send(
      'DELETE',
      '/api/v1/namespaces/default/configmaps/yaml-delete',
      { 'Content-Type': 'application/yaml' },
      'gracePeriodSeconds: 0\n',
    );
    assert.equal(real.status, 200, real.body);
    assert.ok(!exists('yaml-delete'));
  });

  test('deletecollection: a body makes the query options unread; selectors are checked before the body', async () => {
    configMap('coll-a', { set: 'coll' });
    configMap('coll-b', { set: 'coll' });
    // dryRun in the query is not read when a body is sent: this deletes (it used to be a dry run).
    const deleted = await send(
      'DELETE',
      '/api/v1/namespaces/default/configmaps?labelSelector=set%3Dcoll&dryRun=All',
      { 'Content-Type': 'application/json' },
      '{"kind":"DeleteOptions","apiVersion":"v1"}',
    );
    assert.equal(deleted.status, 200, deleted.body);
    assert.ok(!exists('coll-a') && !exists('coll-b'));
    // A bad selector is refused before the body is decoded (it used to be the body's JSON error).
    const bad = await send(
      'DELETE',
      '/api/v1/namespaces/default/configmaps?labelSelector=a%20in',
      { 'Content-Type': 'application/json' },
      '{not json',
    );
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).message, /unable to parse requirement/);
  });

  test('a request whose body never finishes is answered 408 and its connection closed', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca });
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    let received = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString();
    });
    const closed = new Promise<number>((resolve, reject) => {
      const bound = setTimeout(() => {
        socket.destroy();
        reject(new Error('the stalled request was never cut off'));
      }, 10_000);
      socket.once('close', () => {
        clearTimeout(bound);
        resolve(Date.now());
      });
    });
    const started = Date.now();
    socket.write(
      'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`,
    );
    const at = await closed;
    assert.match(received, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(received, /"reason":"Timeout","code":408/);
    assert.ok(at - started >= TIMEOUT_MS, `cut after ${at - started} ms, before the timeout`);
  });

  test('a watch stays open past the request timeout and keeps delivering', async () => {
    const events: string[] = [];
    const req = request({
      host: '127.0.0.1',
      port,
      ca,
      path: '/api/v1/namespaces/default/configmaps?watch=1',
      headers: { Authorization: `Bearer ${token}` },
    });
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
      req.end();
    });
    assert.equal(res.statusCode, 200);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => events.push(chunk));
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 2.5));
    t.registry.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'late', namespace: 'default' },
    });
    const deadline = Date.now() + 5000;
    while (!events.join('').includes('"late"') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.match(events.join(''), /"type":"ADDED".*"name":"late"/);
    req.destroy();
  });
});
