/**
 * `kubectl auth whoami` and `kubectl auth can-i` against podbay, with the stock kubectl: who the admin
 * token, a ServiceAccount token and an impersonated user are (SelfSubjectReview), and what they may do
 * (SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview), answered by podbay's RBAC
 * authorizer as on a kube-apiserver in that mode: the admin (system:masters) everything, others what the
 * bootstrap policy grants (test/e2e/rbac.test.ts grants more). kubectl sends these bodies as protobuf;
 * the raw requests check the JSON path and upstream's validation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { TestServer } from './harness.js';

describe('kubectl auth against podbay', () => {
  const srv = new TestServer();
  before(() => srv.start());
  after(() => srv.destroy());

  test('whoami: the admin token is podbay-admin in system:masters', async () => {
    const out = await srv.k(['auth', 'whoami']);
    assert.match(
      out,
      /^ATTRIBUTE\s+VALUE\nUsername\s+podbay-admin\nGroups\s+\[system:masters system:authenticated\]\n$/,
    );
  });

  test('whoami with a ServiceAccount token: its name, uid, groups and credential id', async () => {
    await srv.k(['create', 'serviceaccount', 'robot']);
    const uid = (await srv.k(['get', 'sa', 'robot', '-o', 'jsonpath={.metadata.uid}'])).trim();
    const token = (await srv.k(['create', 'token', 'robot'])).trim();
    const review = YAML.parse(await srv.k(['auth', 'whoami', '--token', token, '-o', 'yaml']));
    assert.equal(review.kind, 'SelfSubjectReview');
    assert.equal(review.apiVersion, 'authentication.k8s.io/v1');
    const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti;
    assert.deepEqual(review.status.userInfo, {
      username: 'system:serviceaccount:default:robot',
      uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${jti}`] },
    });
  });

  test('whoami --as: impersonated users, ServiceAccounts and groups, as upstream builds them', async () => {
    const sa = await srv.k(['auth', 'whoami', '--as', 'system:serviceaccount:kube-system:builder']);
    assert.match(sa, /Username\s+system:serviceaccount:kube-system:builder\n/);
    assert.match(
      sa,
      /Groups\s+\[system:serviceaccounts system:serviceaccounts:kube-system system:authenticated\]/,
    );
    const jane = await srv.k(['auth', 'whoami', '--as', 'jane', '--as-group', 'dev', '--as-group', 'ops']);
    assert.match(jane, /Username\s+jane\nGroups\s+\[dev ops system:authenticated\]/);
    // system:anonymous is only system:unauthenticated, which the bootstrap policy does not let ask.
    const anon = await srv.kubectl(['auth', 'whoami', '--as', 'system:anonymous']);
    assert.equal(
      anon.stderr,
      'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n',
    );
  });

  test('can-i: yes to the admin, no to others without a binding; --list shows the bound rules', async () => {
    assert.equal((await srv.k(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
    assert.equal(
      (await srv.kubectl(['auth', 'can-i', 'delete', 'nodes', '--as', 'jane'])).stdout.trim(),
      'no',
    );
    assert.equal(
      (
        await srv.kubectl([
          'auth',
          'can-i',
          'get',
          'secrets',
          '-n',
          'kube-system',
          '--as',
          'system:serviceaccount:default:robot',
        ])
      ).stdout.trim(),
      'no',
    );
    assert.equal((await srv.k(['auth', 'can-i', 'get', '/healthz'])).trim(), 'yes');
    assert.equal((await srv.k(['auth', 'can-i', 'get', '/healthz', '--as', 'jane'])).trim(), 'yes');
    // The admin's rules come from the cluster-admin binding of system:masters, then the bootstrap roles of
    // system:authenticated (kubectl sorts the resource rules).
    const list = await srv.k(['auth', 'can-i', '--list']);
    assert.match(
      list,
      /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]\n/,
    );
    assert.match(list, /\n\s+\[\*\]\s+\[\]\s+\[\*\]\n/);
    assert.match(list, /\nselfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\n/);
  });

  test('SubjectAccessReview from a manifest, and upstream’s validation', async () => {
    const sar = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } },
    };
    const created = YAML.parse(await srv.k(['create', '-f', '-', '-o', 'yaml'], JSON.stringify(sar)));
    assert.deepEqual(created.status, { allowed: false });
    assert.deepEqual(created.spec, sar.spec);
    const masters = { ...sar, spec: { ...sar.spec, groups: ['system:masters'] } };
    const allowed = YAML.parse(await srv.k(['create', '-f', '-', '-o', 'yaml'], JSON.stringify(masters)));
    assert.deepEqual(allowed.status, { allowed: true });

    const noSubject = await srv.kubectl(
      ['create', '-f', '-'],
      JSON.stringify({ ...sar, spec: { resourceAttributes: sar.spec.resourceAttributes } }),
    );
    assert.notEqual(noSubject.code, 0);
    assert.match(
      noSubject.stderr,
      /The SubjectAccessReview "" is invalid: spec\.user: Invalid value: "": at least one of user or group must be specified/,
    );

    const local = await srv.request(
      'POST',
      '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews',
      JSON.stringify({
        kind: 'LocalSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: { user: 'jane', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'other' } },
      }),
      { 'content-type': 'application/json' },
    );
    assert.equal(local.status, 422);
    assert.match(
      JSON.parse(local.body).message,
      /spec\.resourceAttributes\.namespace: Invalid value: "other": must match metadata\.namespace/,
    );

    const neither = await srv.request(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      JSON.stringify({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: {} }),
      { 'content-type': 'application/json' },
    );
    assert.equal(neither.status, 422);
    assert.match(
      JSON.parse(neither.body).message,
      /exactly one of nonResourceAttributes or resourceAttributes must be specified/,
    );

    const get = await srv.request('GET', '/apis/authorization.k8s.io/v1/subjectaccessreviews');
    assert.equal(get.status, 405);
  });

  test('impersonating groups without a user is refused, as upstream (500)', async () => {
    const r = await srv.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', '{}', {
      'content-type': 'application/json',
      'impersonate-group': 'dev',
    });
    assert.equal(r.status, 500);
    assert.equal(
      JSON.parse(r.body).message,
      'Internal error occurred: requested [{Group  dev    }] without impersonating a user',
    );
  });
});
