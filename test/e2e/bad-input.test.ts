/**
 * Bad input at the wire: malformed JSON, YAML and protobuf, wrong kinds, oversized bodies,
 * path traversal in names, missing credentials. Each gets a Status naming the fault, the
 * server keeps serving, and nothing stored changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from 'node:tls';
import { TestServer } from './harness.js';

describe('bad input', () => {
  const srv = new TestServer();
  let rvBefore = '';
  before(async () => {
    await srv.start();
    await srv.k(['create', 'configmap', 'victim', '--from-literal=a=1']);
    rvBefore = JSON.parse((await srv.request('GET', '/api/v1/namespaces/default/configmaps')).body).metadata
      .resourceVersion;
  });
  after(() => srv.destroy());

  const status = (body: string) =>
    JSON.parse(body) as { kind: string; reason: string; message: string; code: number };

  test('no token: 401 with a Status body; health and version stay public', async () => {
    const r = await srv.request('GET', '/api/v1/namespaces', undefined, {}, false);
    assert.equal(r.status, 401);
    assert.deepEqual(
      { kind: status(r.body).kind, reason: status(r.body).reason },
      { kind: 'Status', reason: 'Unauthorized' },
    );
    const wrong = await srv.request(
      'GET',
      '/api/v1/namespaces',
      undefined,
      { Authorization: 'Bearer nope' },
      false,
    );
    assert.equal(wrong.status, 401);
    assert.equal((await srv.request('GET', '/readyz', undefined, {}, false)).status, 200);
    assert.equal(JSON.parse((await srv.request('GET', '/version', undefined, {}, false)).body).minor, '32');
  });

  test('malformed JSON names the byte', async () => {
    const r = await srv.request('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":"v1",kind:}');
    assert.equal(r.status, 400);
    assert.match(status(r.body).message, /JSON at byte \d+/);
  });

  test('malformed YAML names line and column', async () => {
    const r = await srv.request('POST', '/api/v1/namespaces/default/configmaps', 'metadata:\n  name: [x\n', {
      'Content-Type': 'application/yaml',
    });
    assert.equal(r.status, 400);
    assert.match(status(r.body).message, /YAML at line \d+ column \d+/);
  });

  test('malformed protobuf names the offset', async () => {
    const body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from([0x0a, 0xff, 0xff])]);
    const r = await srv.request('POST', '/api/v1/namespaces/default/configmaps', body, {
      'Content-Type': 'application/vnd.kubernetes.protobuf',
    });
    assert.equal(r.status, 400);
    assert.match(status(r.body).message, /byte \d+/);
  });

  test('a wrong kind, a non-object body, an unknown content type', async () => {
    const pod = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
    const r = await srv.request('POST', '/api/v1/namespaces/default/configmaps', pod);
    assert.equal(r.status, 400);
    assert.match(status(r.body).message, /Pod .* cannot be handled as a ConfigMap/);
    assert.equal((await srv.request('POST', '/api/v1/namespaces/default/configmaps', '[1,2]')).status, 400);
    assert.equal(
      (
        await srv.request('POST', '/api/v1/namespaces/default/configmaps', 'x', {
          'Content-Type': 'text/csv',
        })
      ).status,
      415,
    );
  });

  test("a value of the wrong type (YAML's `yes` as a container name) is a 400 naming the field", async () => {
    const manifest =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: typo}\nspec:\n  containers:\n    - {name: yes, image: busybox}\n';
    const r = await srv.kubectl(['apply', '-f', '-'], manifest);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /json: cannot unmarshal bool into Go struct field Container\.spec\.containers\.name of type string/,
    );
    const patch = await srv.kubectl([
      'patch',
      'svc',
      'kubernetes',
      '-p',
      '{"spec":{"ports":[{"port":"https","name":"https"}]}}',
    ]);
    assert.notEqual(patch.code, 0);
    assert.match(
      patch.stderr,
      /cannot unmarshal string into Go struct field ServicePort\.spec\.ports\.port of type int32/,
    );
  });

  test('oversized bodies: 413 at 3 MiB; a 1 MiB+ ConfigMap is Invalid', async () => {
    const big = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { a: 'x'.repeat(3 * 1024 * 1024) },
    });
    const r = await srv.request('POST', '/api/v1/namespaces/default/configmaps', big);
    assert.equal(r.status, 413);
    assert.equal(status(r.body).reason, 'RequestEntityTooLarge');
    const over = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'over' },
      data: { a: 'x'.repeat(1024 * 1024 + 1) },
    });
    const o = await srv.request('POST', '/api/v1/namespaces/default/configmaps', over);
    assert.equal(o.status, 422);
    assert.match(status(o.body).message, /Too long: may not be more than 1048576 bytes/);
  });

  test('path traversal in names is refused', async () => {
    for (const p of [
      '/api/v1/namespaces/default/configmaps/..%2F..%2Fetc',
      '/api/v1/namespaces/default/configmaps/%2E%2E',
      '/api/v1/namespaces/..%2fkube-system/configmaps',
    ]) {
      const r = await srv.request('GET', p);
      assert.equal(r.status, 400, p);
      assert.equal(status(r.body).kind, 'Status');
    }
    const create = await srv.request(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({ metadata: { name: '../x' } }),
    );
    assert.equal(create.status, 422);
  });

  test('garbage on the socket gets a 400 and the server stays up', async () => {
    const kc = srv.url.replace('https://', '').split(':');
    await new Promise<void>((resolve) => {
      const s = connect({ host: kc[0], port: Number(kc[1]), rejectUnauthorized: false }, () => {
        s.write('\x00\x01GARBAGE / HTTP/9.9\r\n\r\n');
      });
      s.on('data', () => {});
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      setTimeout(() => s.destroy(), 2000);
    });
    assert.equal((await srv.request('GET', '/readyz')).status, 200);
  });

  test('nothing stored changed', async () => {
    const list = JSON.parse((await srv.request('GET', '/api/v1/namespaces/default/configmaps')).body);
    const names = list.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort();
    assert.deepEqual(
      names.filter((n: string) => n !== 'kube-root-ca.crt'),
      ['victim'],
    );
    const victim = list.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'victim');
    assert.ok(Number(victim.metadata.resourceVersion) <= Number(rvBefore));
  });
});
