/**
 * Object lifecycle semantics kubectl users rely on: optimistic concurrency (409 on a stale
 * resourceVersion), finalizers holding a deleted object, cascading deletion (background,
 * foreground, orphan), dry-run, and legacy discovery for older clients.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer, waitFor } from './harness.js';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: NAME}
spec:
  replicas: 2
  selector: {matchLabels: {app: NAME}}
  template:
    metadata: {labels: {app: NAME}}
    spec: {containers: [{name: c, image: busybox:1.36}]}
`;

describe('object lifecycle', () => {
  const srv = new TestServer();
  before(() => srv.start());
  after(() => srv.destroy());

  const podsOf = async (app: string) =>
    (await srv.k(['get', 'pods', '-l', `app=${app}`, '-o', 'name'])).trim().split('\n').filter(Boolean);

  test('a stale resourceVersion is a 409 Conflict; the current one succeeds', async () => {
    await srv.k(['create', 'configmap', 'cc', '--from-literal=a=1']);
    const cm = JSON.parse(await srv.k(['get', 'cm', 'cc', '-o', 'json']));
    const first = await srv.request(
      'PUT',
      '/api/v1/namespaces/default/configmaps/cc',
      JSON.stringify({ ...cm, data: { a: '2' } }),
    );
    assert.equal(first.status, 200);
    const stale = await srv.request(
      'PUT',
      '/api/v1/namespaces/default/configmaps/cc',
      JSON.stringify({ ...cm, data: { a: '3' } }),
    );
    assert.equal(stale.status, 409);
    const st = JSON.parse(stale.body);
    assert.equal(st.reason, 'Conflict');
    assert.equal(
      st.message,
      'Operation cannot be fulfilled on configmaps "cc": the object has been modified; please apply your changes to the latest version and try again',
    );
    assert.equal(await srv.k(['get', 'cm', 'cc', '-o', 'jsonpath={.data.a}']), '2');
  });

  test('finalizers hold a deleted object until they are removed', async () => {
    await srv.k(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n',
    );
    await srv.k(['delete', 'cm', 'held', '--wait=false']);
    const held = JSON.parse(await srv.k(['get', 'cm', 'held', '-o', 'json']));
    assert.ok(held.metadata.deletionTimestamp, 'terminating, not gone');
    await srv.k(['patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    assert.notEqual((await srv.kubectl(['get', 'cm', 'held'])).code, 0);
  });

  test('cascading deletion: background removes dependents, orphan keeps them, foreground waits for them', async () => {
    for (const n of ['bg', 'orph', 'fg']) await srv.k(['apply', '-f', '-'], DEPLOY.replaceAll('NAME', n));
    for (const n of ['bg', 'orph', 'fg'])
      await waitFor(async () => (await podsOf(n)).length === 2, `${n} pods`);

    await srv.k(['delete', 'deploy', 'bg']);
    await waitFor(async () => (await podsOf('bg')).length === 0, 'bg pods garbage-collected');
    assert.equal((await srv.k(['get', 'rs', '-l', 'app=bg', '-o', 'name'])).trim(), '');

    await srv.k(['delete', 'deploy', 'orph', '--cascade=orphan']);
    const rs = JSON.parse(await srv.k(['get', 'rs', '-l', 'app=orph', '-o', 'json'])).items;
    assert.equal(rs.length, 1, 'the ReplicaSet is orphaned, not deleted');
    assert.equal(rs[0].metadata.ownerReferences, undefined);
    assert.equal((await podsOf('orph')).length, 2);

    await srv.k(['delete', 'deploy', 'fg', '--cascade=foreground']);
    assert.notEqual(
      (await srv.kubectl(['get', 'deploy', 'fg'])).code,
      0,
      'foreground delete returns once dependents are gone',
    );
    assert.equal((await podsOf('fg')).length, 0);
  });

  test('dry-run=server validates and defaults without storing', async () => {
    const out = await srv.k(['run', 'dry', '--image=busybox:1.36', '--dry-run=server', '-o', 'json']);
    const pod = JSON.parse(out);
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.notEqual((await srv.kubectl(['get', 'pod', 'dry'])).code, 0);
  });

  test("kubectl delete's DeleteOptions bodies: --dry-run=server keeps the object, --grace-period=0 --force removes it", async () => {
    await srv.k(['create', 'configmap', 'forced', '--from-literal=a=1']);
    await srv.k(['run', 'forced', '--image=busybox:1.36']);
    for (const kind of ['cm', 'pod']) {
      const dry = await srv.k(['delete', kind, 'forced', '--dry-run=server']);
      assert.match(dry, /"forced" deleted \(server dry run\)/);
      assert.equal((await srv.kubectl(['get', kind, 'forced'])).code, 0, `${kind} kept by the dry run`);
      const forced = await srv.kubectl(['delete', kind, 'forced', '--grace-period=0', '--force']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, /"forced" force deleted/);
      assert.notEqual((await srv.kubectl(['get', kind, 'forced'])).code, 0, `${kind} gone`);
    }
  });

  test('legacy discovery answers older clients', async () => {
    const api = JSON.parse((await srv.request('GET', '/api')).body);
    assert.deepEqual(api.versions, ['v1']);
    const groups = JSON.parse((await srv.request('GET', '/apis')).body);
    assert.ok(groups.groups.some((g: { name: string }) => g.name === 'apps'));
    const apps = JSON.parse((await srv.request('GET', '/apis/apps/v1')).body);
    assert.ok(apps.resources.some((r: { name: string }) => r.name === 'deployments/scale'));
    const agg = await srv.request('GET', '/apis', undefined, {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    assert.equal(
      agg.headers['content-type'],
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
  });
});
