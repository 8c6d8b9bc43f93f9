/**
 * The API server's connection limits: a client that stalls in the middle of its request is cut off after
 * the request timeout (408), while a watch, whose request is complete, stays open past it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { loadOrCreatePki } from '../server/pki.js';
import { ApiServer } from './server.js';
import { openTestRegistry, type TestRegistry } from './testing/registry.js';

const TIMEOUT_MS = 600;

describe('ApiServer request timeout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-api-timeout-'));
  let t: TestRegistry;
  let api: ApiServer;
  let port = 0;
  let token = '';
  let ca = '';
  before(async () => {
    t = openTestRegistry();
    const pki = await loadOrCreatePki(dir, ['127.0.0.1']);
    token = pki.token;
    ca = pki.caCert;
    api = new ApiServer({
      registry: t.registry,
      host: '127.0.0.1',
      port: 0,
      tls: { key: pki.key, cert: pki.cert },
      token,
      clock: { now: () => new Date() },
      log: () => {},
      requestTimeoutMs: TIMEOUT_MS,
    });
    port = (await api.listen()).port;
  });
  after(async () => {
    await api.close();
    t.store.close();
    rmSync(dir, { recursive: true, force: true });
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
