/**
 * The API server asks its authorizer about every request but the public ones, upgraded streams included,
 * and refuses a denied one with upstream's 403; impersonation and the reviews ask the same authorizer.
 * The authorizer here denies deleting pods, anything `jane` does with secrets, and every non-resource
 * path but discovery.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { startTestApiServer, type TestApiServer } from '../testing/api-server.js';
import { type Attributes, type Authorizer, alwaysAllow } from './authorizer.js';

const asked: Attributes[] = [];
const authorizer: Authorizer = {
  ...alwaysAllow,
  authorize(a) {
    asked.push(a);
    if (a.resource === 'pods' && a.verb === 'delete') return { decision: 'Deny', reason: 'no deleting' };
    if (a.resource === 'secrets' && a.user.username === 'jane') return { decision: 'NoOpinion', reason: '' };
    if (!a.resourceRequest && !a.path?.startsWith('/api')) return { decision: 'NoOpinion', reason: '' };
    return { decision: 'Allow', reason: '' };
  },
};

describe('authorization of every request', () => {
  let srv: TestApiServer;
  before(async () => {
    srv = await startTestApiServer({ authorizer });
  });
  after(() => srv.close());

  function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: srv.port,
          method,
          path,
          ca: srv.ca,
          headers: { authorization: `Bearer ${srv.token}`, ...headers },
        },
        (res) => {
          let data = '';
          res.on('data', (d: Buffer) => {
            data += d.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  test('allowed requests pass; the authorizer saw who asked what', async () => {
    asked.length = 0;
    assert.equal((await call('GET', '/api/v1/namespaces/default/pods')).status, 200);
    assert.deepEqual(
      asked.map((a) => [a.user.username, a.verb, a.resource, a.namespace]),
      [['podbay-admin', 'list', 'pods', 'default']],
    );
    assert.equal((await call('GET', '/healthz')).status, 200, 'public paths are not asked');
    assert.equal(asked.length, 1);
  });

  test('a denied request is 403 in upstream’s words, before the handler runs', async () => {
    const r = await call('DELETE', '/api/v1/namespaces/default/pods/web');
    assert.equal(r.status, 403);
    const s = JSON.parse(r.body);
    assert.equal(
      s.message,
      'pods "web" is forbidden: User "podbay-admin" cannot delete resource "pods" in API group "" in the namespace "default": no deleting',
    );
    assert.deepEqual(s.details, { name: 'web', kind: 'pods' });
    assert.equal(s.reason, 'Forbidden');
  });

  test('impersonated users are authorized as themselves', async () => {
    assert.equal(
      (await call('GET', '/api/v1/namespaces/default/secrets', { 'impersonate-user': 'bob' })).status,
      200,
    );
    const r = await call('GET', '/api/v1/namespaces/default/secrets', { 'impersonate-user': 'jane' });
    assert.equal(r.status, 403);
    assert.equal(
      JSON.parse(r.body).message,
      'secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "default"',
    );
  });

  test('non-resource paths and upgrade requests are authorized too', async () => {
    const r = await call('GET', '/metrics');
    assert.equal(r.status, 403);
    assert.equal(JSON.parse(r.body).message, 'forbidden: User "podbay-admin" cannot get path "/metrics"');
    asked.length = 0;
    const exec = await call('POST', '/api/v1/namespaces/default/pods/web/exec?command=ls', {
      connection: 'Upgrade',
      upgrade: 'websocket',
    });
    assert.notEqual(exec.status, 403);
    assert.deepEqual(
      asked.map((a) => [a.verb, a.resource, a.subresource, a.name]),
      [['create', 'pods', 'exec', 'web']],
    );
  });

  test('the reviews ask the same authorizer', async () => {
    const review = (spec: object) =>
      call(
        'POST',
        '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        { 'content-type': 'application/json', 'impersonate-user': 'jane' },
        JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec }),
      );
    const secrets = JSON.parse(
      (await review({ resourceAttributes: { verb: 'get', resource: 'secrets' } })).body,
    );
    assert.deepEqual(secrets.status, { allowed: false });
    const del = JSON.parse((await review({ resourceAttributes: { verb: 'delete', resource: 'pods' } })).body);
    assert.deepEqual(del.status, { allowed: false, denied: true, reason: 'no deleting' });
  });
});
