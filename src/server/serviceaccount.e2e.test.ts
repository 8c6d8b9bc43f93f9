/**
 * ServiceAccount tokens end to end (root, stock kubectl): a pod gets the kube-api-access volume
 * as on a cluster (describe shows it), and a program in the pod reaches the API through the
 * `kubernetes` Service with the mounted token and CA, as in-cluster clients do, once RBAC grants
 * its ServiceAccount the right (403 before); a forged token is refused. curl is the host's (a container sees the host root below its own layer).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PodServer } from '../kubelet/testing/pod-server.js';

const ps = new PodServer();
const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const POD = `apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - { name: sh, image: busybox, command: [sleep, '3600'] }
`;
const curl = (token: string, path: string) =>
  `curl -sS -w '\\n%{http_code}' --cacert ${SA}/ca.crt -H "Authorization: Bearer ${token}" https://kubernetes.default.svc${path}`;

describe('ServiceAccount tokens from inside a pod (kubectl, root)', { timeout: 120_000 }, () => {
  before(async () => {
    await ps.start();
    await ps.apply(POD);
    await ps.server.k(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
  });
  after(() => ps.close());

  test('describe shows the kube-api-access volume mounted read-only', async () => {
    const out = await ps.server.k(['describe', 'pod', 'client']);
    assert.match(out, new RegExp(`${SA} from kube-api-access-[a-z0-9]{5} \\(ro\\)`));
    assert.match(out, /kube-api-access-[a-z0-9]{5}:\n\s+Type:\s+Projected/);
    const files = await ps.server.k([
      'exec',
      'client',
      '--',
      'sh',
      '-c',
      `cat ${SA}/namespace; echo; ls ${SA}`,
    ]);
    assert.match(files, /^default\n/);
    assert.match(files, /ca\.crt\nnamespace\ntoken/);
  });

  test('the mounted token and CA reach the API through kubernetes.default.svc; a forged token is 401', async () => {
    const listPods = [
      'exec',
      'client',
      '--',
      'sh',
      '-c',
      curl(`$(cat ${SA}/token)`, '/api/v1/namespaces/default/pods'),
    ];
    // RBAC: the pod's ServiceAccount may list nothing until a Role is bound to it.
    const denied = await ps.server.k(listPods);
    assert.match(denied, /\n403$/);
    assert.equal(
      JSON.parse(denied.slice(0, denied.lastIndexOf('\n'))).message,
      'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    await ps.server.k(['create', 'role', 'pod-lister', '--verb=list', '--resource=pods']);
    await ps.server.k([
      'create',
      'rolebinding',
      'default-lists',
      '--role=pod-lister',
      '--serviceaccount=default:default',
    ]);
    const ok = await ps.server.k([
      'exec',
      'client',
      '--',
      'sh',
      '-c',
      curl(`$(cat ${SA}/token)`, '/api/v1/namespaces/default/pods'),
    ]);
    const [body, code] = [ok.slice(0, ok.lastIndexOf('\n')), ok.slice(ok.lastIndexOf('\n') + 1).trim()];
    assert.equal(code, '200', ok);
    const list = JSON.parse(body) as { kind: string; items: { metadata: { name: string } }[] };
    assert.equal(list.kind, 'PodList');
    assert.ok(list.items.some((p) => p.metadata.name === 'client'));
    const forged = await ps.server.k([
      'exec',
      'client',
      '--',
      'sh',
      '-c',
      // The token with its signature's last characters changed.
      curl(`$(cat ${SA}/token | sed 's/....$/AAAA/')`, '/api/v1/namespaces/default/pods'),
    ]);
    assert.match(forged, /401$/);
  });
});
