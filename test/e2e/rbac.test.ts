/**
 * RBAC with the stock kubectl, as on a kube-apiserver in `--authorization-mode=RBAC`: a ServiceAccount
 * may do nothing until a Role is bound to it, then exactly what the Role says, in its namespace only; a
 * ClusterRoleBinding to the bootstrap `view` role (filled by aggregation) grants reads everywhere; denied
 * requests get upstream's 403 text; a user who may create Roles still cannot grant what it lacks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { TestServer } from './harness.js';

const DEV = 'system:serviceaccount:default:dev';

describe('RBAC against podbay', () => {
  const srv = new TestServer();
  let token = '';
  before(async () => {
    await srv.start();
    await srv.k(['create', 'serviceaccount', 'dev']);
    token = (await srv.k(['create', 'token', 'dev'])).trim();
  });
  after(() => srv.destroy());

  const canI = async (args: string[]) => (await srv.kubectl(['auth', 'can-i', ...args])).stdout.trim();

  test('a Role bound to a ServiceAccount grants exactly its rules, in its namespace', async () => {
    assert.equal(await canI(['list', 'pods', '--as', DEV]), 'no');
    await srv.k(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods']);
    await srv.k(['create', 'rolebinding', 'dev-reads', '--role=pod-reader', '--serviceaccount=default:dev']);
    assert.equal(await canI(['list', 'pods', '--as', DEV]), 'yes');
    assert.equal(await canI(['list', 'pods', '--as', DEV, '-n', 'kube-system']), 'no');
    assert.equal(await canI(['delete', 'pods', '--as', DEV]), 'no');

    const wide = await srv.k(['get', 'rolebinding', 'dev-reads', '-o', 'wide']);
    assert.match(wide, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\n/);
    assert.match(wide, /\ndev-reads\s+Role\/pod-reader\s+\S+\s+default\/dev\n$/);
    const roles = await srv.k(['get', 'roles']);
    assert.match(roles, /^NAME\s+CREATED AT\npod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    const described = await srv.k(['describe', 'role', 'pod-reader']);
    assert.match(described, /Name:\s+pod-reader/);
    assert.match(described, /PolicyRule:\n\s+Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    assert.match(described, /\n\s+pods\s+\[\]\s+\[\]\s+\[get list watch\]\n/);
  });

  test('with a real token: get pods works, delete pods is Forbidden with upstream’s message', async () => {
    const list = await srv.kubectl(['--token', token, 'get', 'pods']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stderr, /No resources found in default namespace/);
    await srv.k(['run', 'web', '--image=busybox']);
    const get = await srv.kubectl(['--token', token, 'get', 'pod', 'web', '-o', 'name']);
    assert.equal(get.stdout, 'pod/web\n', get.stderr);
    const del = await srv.kubectl(['--token', token, 'delete', 'pod', 'web']);
    assert.notEqual(del.code, 0);
    assert.equal(
      del.stderr,
      'Error from server (Forbidden): pods "web" is forbidden: User "system:serviceaccount:default:dev" cannot delete resource "pods" in API group "" in the namespace "default"\n',
    );
    const other = await srv.kubectl(['--token', token, 'get', 'pods', '-n', 'kube-system']);
    assert.match(
      other.stderr,
      /User "system:serviceaccount:default:dev" cannot list resource "pods" in API group "" in the namespace "kube-system"/,
    );
  });

  test('the bootstrap roles exist; a ClusterRoleBinding to view grants reads everywhere', async () => {
    const roles = await srv.k(['get', 'clusterroles']);
    for (const name of ['admin', 'cluster-admin', 'edit', 'view', 'system:basic-user', 'system:discovery'])
      assert.match(roles, new RegExp(`\\n${name}\\s+\\d{4}-`));
    const view = YAML.parse(await srv.k(['get', 'clusterrole', 'view', '-o', 'yaml']));
    assert.ok(view.rules.some((r: { resources?: string[] }) => r.resources?.includes('configmaps')));

    assert.equal(await canI(['get', 'configmaps', '-n', 'kube-system', '--as', DEV]), 'no');
    await srv.k([
      'create',
      'clusterrolebinding',
      'dev-view',
      '--clusterrole=view',
      `--serviceaccount=default:dev`,
    ]);
    assert.equal(await canI(['get', 'configmaps', '-n', 'kube-system', '--as', DEV]), 'yes');
    assert.equal(await canI(['get', 'secrets', '-n', 'kube-system', '--as', DEV]), 'no');
    const crb = await srv.k(['get', 'clusterrolebinding', 'dev-view']);
    assert.match(crb, /^NAME\s+ROLE\s+AGE\ndev-view\s+ClusterRole\/view\s+/);

    const list = await srv.k(['auth', 'can-i', '--list', '--as', DEV]);
    assert.match(list, /\npods\s+\[\]\s+\[\]\s+\[get list watch\]\n/);
    assert.match(list, /\nselfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\n/);
    assert.match(list, /\n\s+\[\/api\/\*\]\s+\[\]\s+\[get\]\n/);
  });

  test('edit granted in one namespace works with kubectl create rolebinding --clusterrole', async () => {
    await srv.k(['create', 'namespace', 'team']);
    await srv.k([
      'create',
      'rolebinding',
      'dev-edit',
      '-n',
      'team',
      '--clusterrole=edit',
      '--serviceaccount=default:dev',
    ]);
    assert.equal(await canI(['create', 'deployments.apps', '-n', 'team', '--as', DEV]), 'yes');
    assert.equal(await canI(['create', 'deployments.apps', '--as', DEV]), 'no');
    const created = await srv.kubectl(['--token', token, 'create', 'configmap', 'x', '-n', 'team']);
    assert.equal(created.code, 0, created.stderr);
  });

  test('escalation: creating a Role or binding with permissions one lacks is refused', async () => {
    await srv.k(['create', 'serviceaccount', 'lead']);
    await srv.k(['create', 'role', 'role-writer', '--verb=create,get', '--resource=roles,rolebindings']);
    await srv.k([
      'create',
      'rolebinding',
      'lead-writes',
      '--role=role-writer',
      '--serviceaccount=default:lead',
    ]);
    const lead = (await srv.k(['create', 'token', 'lead'])).trim();
    const r = await srv.kubectl([
      '--token',
      lead,
      'create',
      'role',
      'deleter',
      '--verb=delete',
      '--resource=pods',
    ]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /roles\.rbac\.authorization\.k8s\.io "deleter" is forbidden: user "system:serviceaccount:default:lead" \(groups=\["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["pods"\], Verbs:\["delete"\]\}/,
    );
    // A role whose rules it holds is fine; binding a role it does not hold is not.
    const ok = await srv.kubectl([
      '--token',
      lead,
      'create',
      'role',
      'rbac-reader',
      '--verb=get',
      '--resource=roles',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const bind = await srv.kubectl([
      '--token',
      lead,
      'create',
      'rolebinding',
      'sneaky',
      '--clusterrole=cluster-admin',
      '--serviceaccount=default:lead',
    ]);
    assert.notEqual(bind.code, 0);
    assert.match(
      bind.stderr,
      /rolebindings\.rbac\.authorization\.k8s\.io "sneaky" is forbidden: user .* is attempting to grant RBAC permissions not currently held:\n/,
    );
  });

  test('validation: upstream’s messages; roleRef cannot change', async () => {
    const bad = await srv.kubectl(
      ['create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'bad' },
        rules: [
          { apiGroups: [''], resources: ['pods'] },
          { verbs: ['get'], nonResourceURLs: ['/x'] },
        ],
      }),
    );
    assert.match(
      bad.stderr,
      /The Role "bad" is invalid: \n\* rules\[0\]\.verbs: Required value: verbs must contain at least one value\n\* rules\[1\]\.nonResourceURLs: Invalid value: \[\]string\{"\/x"\}: namespaced rules cannot apply to non-resource URLs\n/,
    );
    const patched = await srv.kubectl([
      'patch',
      'rolebinding',
      'dev-reads',
      '--type=merge',
      '-p',
      '{"roleRef":{"name":"other"}}',
    ]);
    assert.match(
      patched.stderr,
      /roleRef: Invalid value: rbac\.RoleRef\{APIGroup:"rbac\.authorization\.k8s\.io", Kind:"Role", Name:"other"\}: cannot change roleRef/,
    );
  });

  test('kubectl explain role.rules: upstream’s fields and descriptions', async () => {
    const out = await srv.k(['explain', 'role.rules']);
    assert.match(out, /^GROUP:\s+rbac\.authorization\.k8s\.io\nKIND:\s+Role\nVERSION:\s+v1\n/);
    assert.match(out, /FIELD: rules <\[\]PolicyRule>/);
    assert.match(out, /verbs\t<\[\]string> -required-/);
    const crb = await srv.k(['explain', 'clusterrolebinding.roleRef']);
    assert.match(crb, /RoleRef can only reference a ClusterRole in the global namespace/);
  });

  test('namespace deletion removes its Roles and RoleBindings', async () => {
    await srv.k(['create', 'role', 'r', '-n', 'team', '--verb=get', '--resource=pods']);
    await srv.k(['delete', 'namespace', 'team', '--wait=true', '--timeout=30s']);
    const left = await srv.request('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles');
    assert.equal(JSON.parse(left.body).items.length, 0);
  });
});
