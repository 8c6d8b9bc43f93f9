/**
 * The stock kubectl against a fresh podbay server: apply (client-side, repeated, changed, and
 * server-side), get in every output form, describe, labels and annotations, create generators
 * (protobuf bodies), delete -f with its wait, and namespace deletion.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestServer, waitFor, writeManifest } from './harness.js';

const MANIFESTS = new URL('../../../test/e2e/manifests/', import.meta.url).pathname;

describe('kubectl apply / get / describe against podbay', () => {
  const srv = new TestServer();
  const tmp = mkdtempSync(join(tmpdir(), 'podbay-manifests-'));
  before(() => srv.start());
  after(async () => {
    await srv.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('version pins kubectl 1.32 and the node is Ready', async () => {
    const v = await srv.k(['version', '-o', 'json']);
    const parsed = JSON.parse(v);
    assert.equal(parsed.serverVersion.minor, '32');
    assert.match(parsed.clientVersion.gitVersion, /^v1\.32\./);
    const nodes = await srv.k(['get', 'nodes']);
    assert.match(nodes, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    assert.match(nodes, /\sReady\s+control-plane\s/);
  });

  test('system namespaces exist at start, each with a default ServiceAccount', async () => {
    const ns = await srv.k(['get', 'ns', '-o', 'name']);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      assert.match(ns, new RegExp(`^namespace/${n}$`, 'm'));
    await waitFor(
      async () => (await srv.kubectl(['get', 'sa', 'default', '-n', 'kube-system'])).code === 0,
      'default SA in kube-system',
    );
  });

  test('multi-document apply creates every kind, then is unchanged, then configured', async () => {
    const file = join(MANIFESTS, 'app.yaml');
    const first = await srv.k(['apply', '-f', file]);
    assert.equal(
      first.trim(),
      [
        'namespace/shop created',
        'configmap/web-config created',
        'secret/web-secret created',
        'serviceaccount/web created',
        'service/web created',
        'deployment.apps/web created',
        'replicaset.apps/worker created',
        'pod/debug created',
      ].join('\n'),
    );
    const second = await srv.k(['apply', '-f', file]);
    // stringData is folded into data by the server, so kubectl re-sends it every time, as on a real cluster.
    assert.equal(
      second.trim(),
      [
        'namespace/shop unchanged',
        'configmap/web-config unchanged',
        'secret/web-secret configured',
        'serviceaccount/web unchanged',
        'service/web unchanged',
        'deployment.apps/web unchanged',
        'replicaset.apps/worker unchanged',
        'pod/debug unchanged',
      ].join('\n'),
    );
    const changed = writeManifest(
      tmp,
      'changed.yaml',
      (await import('node:fs'))
        .readFileSync(file, 'utf8')
        .replace('replicas: 2', 'replicas: 3')
        .replace('greeting: hello', 'greeting: bonjour'),
    );
    const third = await srv.k(['apply', '-f', changed]);
    assert.match(third, /^configmap\/web-config configured$/m);
    assert.match(third, /^deployment\.apps\/web configured$/m);
    assert.match(third, /^service\/web unchanged$/m);
    assert.equal(await srv.k(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}']), '3');
    assert.equal(
      await srv.k(['get', 'cm', 'web-config', '-n', 'shop', '-o', 'jsonpath={.data.greeting}']),
      'bonjour',
    );
  });

  test('server-side defaults are what a real cluster shows', async () => {
    const pod = JSON.parse(await srv.k(['get', 'pod', 'debug', '-n', 'shop', '-o', 'json']));
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.equal(pod.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
    assert.equal(pod.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(pod.spec.containers[0].terminationMessagePath, '/dev/termination-log');
    assert.equal(pod.status.phase, 'Pending');
    assert.equal(pod.status.qosClass, 'Burstable');
    assert.match(pod.metadata.uid, /^[0-9a-f-]{36}$/);
    const svc = JSON.parse(await srv.k(['get', 'svc', 'web', '-n', 'shop', '-o', 'json']));
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\./);
    assert.equal(svc.spec.ports[0].protocol, 'TCP');
    const secret = JSON.parse(await srv.k(['get', 'secret', 'web-secret', '-n', 'shop', '-o', 'json']));
    assert.equal(secret.data.password, Buffer.from('s3cret').toString('base64'));
    assert.equal(secret.stringData, undefined);
    const dep = JSON.parse(await srv.k(['get', 'deploy', 'web', '-n', 'shop', '-o', 'json']));
    assert.deepEqual(dep.spec.strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    assert.equal(dep.spec.revisionHistoryLimit, 10);
    assert.equal(dep.spec.progressDeadlineSeconds, 600);
  });

  test('the deployment controller makes a ReplicaSet and pods (Pending until the runtime runs them)', async () => {
    await waitFor(
      async () =>
        (await srv.k(['get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'name']))
          .trim()
          .split('\n')
          .filter(Boolean).length === 3,
      '3 web pods',
    );
    const rs = JSON.parse(await srv.k(['get', 'rs', '-n', 'shop', '-l', 'app=web', '-o', 'json']));
    assert.equal(rs.items.length, 1);
    const r = rs.items[0];
    assert.match(r.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(r.metadata.ownerReferences[0].kind, 'Deployment');
    assert.equal(r.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    const pods = await srv.k(['get', 'pods', '-n', 'shop', '-l', 'app=web']);
    assert.match(pods, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    assert.match(pods, /web-\S+\s+0\/1\s+Pending\s+0\s+\d+s/);
  });

  test('get: -o wide, yaml, json, jsonpath, --show-labels, -A, several kinds', async () => {
    const wide = await srv.k(['get', 'pod', 'debug', '-n', 'shop', '-o', 'wide']);
    assert.match(
      wide,
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/,
    );
    const yaml = await srv.k(['get', 'cm', 'web-config', '-n', 'shop', '-o', 'yaml']);
    assert.match(yaml, /^apiVersion: v1\n/);
    assert.match(yaml, /kubectl\.kubernetes\.io\/last-applied-configuration/);
    const labels = await srv.k(['get', 'pod', 'debug', '-n', 'shop', '--show-labels']);
    assert.match(labels, /LABELS\n.*app=debug/);
    const all = await srv.k(['get', 'pods', '-A']);
    assert.match(all, /^NAMESPACE\s+NAME\s+READY/);
    assert.match(all, /^shop\s+debug\s+0\/1\s+Pending/m);
    const multi = await srv.k(['get', 'deploy,rs,svc,cm,secret,sa', '-n', 'shop']);
    assert.match(
      multi,
      /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/web\s+0\/3\s+3\s+0\s/m,
    );
    assert.match(multi, /^service\/web\s+ClusterIP\s+10\.\S+\s+<none>\s+80\/TCP\s/m);
    assert.match(multi, /^configmap\/web-config\s+2\s/m);
    assert.match(multi, /^secret\/web-secret\s+Opaque\s+1\s/m);
    const jp = await srv.k([
      'get',
      'pods',
      '-n',
      'shop',
      '-l',
      'app in (debug)',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]);
    assert.equal(jp, 'debug');
    const neg = await srv.k(['get', 'pods', '-n', 'shop', '-l', 'app!=web,app!=worker', '-o', 'name']);
    assert.equal(neg.trim(), 'pod/debug');
    const byField = await srv.k([
      'get',
      'pods',
      '-n',
      'shop',
      '--field-selector',
      'metadata.name=debug,status.phase=Pending',
      '-o',
      'name',
    ]);
    assert.equal(byField.trim(), 'pod/debug');
  });

  test('describe pod, deployment and service', async () => {
    const pod = await srv.k(['describe', 'pod', 'debug', '-n', 'shop']);
    assert.match(pod, /^Name:\s+debug$/m);
    assert.match(pod, /^Namespace:\s+shop$/m);
    assert.match(pod, /^QoS Class:\s+Burstable$/m);
    assert.match(pod, /Limits:\n\s+cpu:\s+200m\n\s+memory:\s+128Mi/);
    const dep = await srv.k(['describe', 'deployment', 'web', '-n', 'shop']);
    assert.match(dep, /^Replicas:\s+3 desired \| 3 updated \| 3 total \| 0 available \| 3 unavailable$/m);
    assert.match(dep, /^StrategyType:\s+RollingUpdate$/m);
    assert.match(dep, /^NewReplicaSet:\s+web-\S+ \(3\/3 replicas created\)$/m);
    assert.match(dep, /ScalingReplicaSet\s+.*deployment-controller\s+Scaled up replica set web-\S+ to 2/);
    const svc = await srv.k(['describe', 'service', 'web', '-n', 'shop']);
    assert.match(svc, /^Selector:\s+app=web$/m);
    assert.match(svc, /^TargetPort:\s+http\/TCP$/m);
  });

  test('logs and exec on a pod no node runs yet, as kube-apiserver answers them', async () => {
    const logs = await srv.kubectl(['logs', 'debug', '-n', 'shop']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, '');
    const bad = await srv.kubectl(['logs', 'debug', '-n', 'shop', '-c', 'nope']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /container nope is not valid for pod debug/);
    const exec = await srv.kubectl(['exec', 'debug', '-n', 'shop', '--', 'true']);
    assert.equal(exec.code, 1);
    assert.match(exec.stderr, /pod debug does not have a host assigned/);
  });

  test('the node renews its Lease, as describe node shows', async () => {
    const node = await srv.k(['describe', 'node']);
    assert.match(
      node,
      /^Lease:\n\s+HolderIdentity:\s+\S+\n\s+AcquireTime:\s+<unset>\n\s+RenewTime:\s+\w{3}, /m,
    );
    assert.match(await srv.k(['get', 'leases', '-n', 'kube-node-lease']), /^NAME\s+HOLDER\s+AGE\n/);
  });

  test('label, annotate, patch (strategic, merge, json) and scale', async () => {
    await srv.k(['label', 'pod', 'debug', '-n', 'shop', 'env=test']);
    await srv.k(['annotate', 'pod', 'debug', '-n', 'shop', 'owner=ckad']);
    const meta = JSON.parse(await srv.k(['get', 'pod', 'debug', '-n', 'shop', '-o', 'jsonpath={.metadata}']));
    assert.equal(meta.labels.env, 'test');
    assert.equal(meta.annotations.owner, 'ckad');
    const dup = await srv.kubectl(['label', 'pod', 'debug', '-n', 'shop', 'env=prod']);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /already has a value \(test\), and --overwrite is false/);
    await srv.k(['label', 'pod', 'debug', '-n', 'shop', 'env-']);
    assert.equal(
      await srv.k(['get', 'pod', 'debug', '-n', 'shop', '-o', 'jsonpath={.metadata.labels.env}']),
      '',
    );

    await srv.k([
      'patch',
      'deploy',
      'web',
      '-n',
      'shop',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}',
    ]);
    const dep = JSON.parse(await srv.k(['get', 'deploy', 'web', '-n', 'shop', '-o', 'json']));
    assert.equal(dep.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.equal(
      dep.spec.template.spec.containers[0].ports[0].containerPort,
      80,
      'strategic merge keeps sibling fields',
    );
    assert.equal(dep.metadata.generation, 3);
    await srv.k([
      'patch',
      'cm',
      'web-config',
      '-n',
      'shop',
      '--type',
      'merge',
      '-p',
      '{"data":{"greeting":null,"extra":"1"}}',
    ]);
    assert.deepEqual(
      Object.keys(
        JSON.parse(await srv.k(['get', 'cm', 'web-config', '-n', 'shop', '-o', 'jsonpath={.data}'])),
      ).sort(),
      ['extra', 'nginx.conf'],
    );
    await srv.k([
      'patch',
      'cm',
      'web-config',
      '-n',
      'shop',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/data/extra","value":"2"}]',
    ]);
    assert.equal(await srv.k(['get', 'cm', 'web-config', '-n', 'shop', '-o', 'jsonpath={.data.extra}']), '2');
    const badJson = await srv.kubectl([
      'patch',
      'cm',
      'web-config',
      '-n',
      'shop',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/data/extra","value":"nope"}]',
    ]);
    assert.notEqual(badJson.code, 0);

    await srv.k(['scale', 'deploy', 'web', '-n', 'shop', '--replicas=1']);
    assert.equal(await srv.k(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}']), '1');
    // The scale subresource decodes its body as a Scale: replicas beyond int32 is Go's decoding error.
    const huge = await srv.request(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web/scale',
      '{"spec":{"replicas":1e300}}',
      { 'content-type': 'application/merge-patch+json' },
    );
    assert.equal(huge.status, 400, huge.body);
    assert.match(
      huge.body,
      /cannot unmarshal number 1e\+300 into Go struct field ScaleSpec\.spec\.replicas of type int32/,
    );
    assert.equal(await srv.k(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}']), '1');
  });

  test('apply --server-side creates and updates', async () => {
    const f = writeManifest(
      tmp,
      'ssa.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: shop\ndata:\n  a: "1"\n  b: "2"\n',
    );
    assert.match(await srv.k(['apply', '--server-side', '-f', f]), /configmap\/ssa serverside-applied/);
    writeManifest(
      tmp,
      'ssa.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: shop\ndata:\n  a: "3"\n',
    );
    assert.match(await srv.k(['apply', '--server-side', '-f', f]), /configmap\/ssa serverside-applied/);
    assert.deepEqual(JSON.parse(await srv.k(['get', 'cm', 'ssa', '-n', 'shop', '-o', 'jsonpath={.data}'])), {
      a: '3',
    });
    const mf = JSON.parse(
      await srv.k(['get', 'cm', 'ssa', '-n', 'shop', '-o', 'json', '--show-managed-fields']),
    );
    assert.ok(
      mf.metadata.managedFields.some(
        (m: { manager: string; operation: string }) => m.manager === 'kubectl' && m.operation === 'Apply',
      ),
    );
  });

  test('create generators (protobuf bodies) and run', async () => {
    await srv.k(['create', 'namespace', 'gen']);
    await srv.k(['create', 'configmap', 'cfg', '-n', 'gen', '--from-literal=a=1', '--from-literal=b=two']);
    await srv.k(['create', 'secret', 'generic', 'sec', '-n', 'gen', '--from-literal=token=abc']);
    await srv.k([
      'create',
      'deployment',
      'api',
      '-n',
      'gen',
      '--image=nginx:1.25',
      '--replicas=2',
      '--port=8080',
    ]);
    await srv.k(['create', 'service', 'clusterip', 'api', '-n', 'gen', '--tcp=80:8080']);
    await srv.k(['create', 'serviceaccount', 'robot', '-n', 'gen']);
    await srv.k(['run', 'one', '-n', 'gen', '--image=busybox:1.36', '--labels=run=one', '--', 'sleep', '10']);
    assert.deepEqual(JSON.parse(await srv.k(['get', 'cm', 'cfg', '-n', 'gen', '-o', 'jsonpath={.data}'])), {
      a: '1',
      b: 'two',
    });
    assert.equal(
      await srv.k(['get', 'secret', 'sec', '-n', 'gen', '-o', 'jsonpath={.data.token}']),
      Buffer.from('abc').toString('base64'),
    );
    const d = JSON.parse(await srv.k(['get', 'deploy', 'api', '-n', 'gen', '-o', 'json']));
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.template.spec.containers[0].ports[0].containerPort, 8080);
    assert.equal(
      await srv.k(['get', 'svc', 'api', '-n', 'gen', '-o', 'jsonpath={.spec.ports[0].targetPort}']),
      '8080',
    );
    assert.equal(
      await srv.k(['get', 'pod', 'one', '-n', 'gen', '-o', 'jsonpath={.spec.containers[0].args}']),
      '["sleep","10"]',
    );
  });

  test('invalid objects are refused with upstream messages and exit codes', async () => {
    const noImage = writeManifest(
      tmp,
      'bad.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  namespace: shop\nspec:\n  containers:\n  - name: c\n',
    );
    const r = await srv.kubectl(['apply', '-f', noImage]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The Pod "bad" is invalid: spec\.containers\[0\]\.image: Required value/);
    const unknown = writeManifest(
      tmp,
      'unknown.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\n  namespace: shop\ndatta:\n  a: b\n',
    );
    const u = await srv.kubectl(['apply', '-f', unknown]);
    assert.equal(u.code, 1);
    assert.match(u.stderr, /strict decoding error: unknown field "datta"/);
    const warn = await srv.kubectl(['apply', '--validate=warn', '-f', unknown]);
    assert.equal(warn.code, 0);
    assert.match(warn.stderr, /Warning: unknown field "datta"/);
    const badName = await srv.kubectl(['create', 'configmap', 'Bad_Name', '-n', 'shop']);
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    const missingNs = await srv.kubectl(['create', 'configmap', 'x', '-n', 'nowhere']);
    assert.equal(missingNs.code, 1);
    assert.match(missingNs.stderr, /namespaces "nowhere" not found/);
    const exists = await srv.kubectl(['create', 'namespace', 'shop']);
    assert.match(exists.stderr, /Error from server \(AlreadyExists\): namespaces "shop" already exists/);
    const nf = await srv.kubectl(['get', 'pod', 'nope', '-n', 'shop']);
    assert.equal(nf.code, 1);
    assert.match(nf.stderr, /Error from server \(NotFound\): pods "nope" not found/);
  });

  test('delete -f waits for deletion; namespace deletion removes contents', async () => {
    const gone = await srv.k(['delete', '-f', join(MANIFESTS, 'app.yaml')]);
    assert.match(gone, /^namespace "shop" deleted$/m);
    assert.match(gone, /^deployment\.apps "web" deleted$/m);
    await waitFor(
      async () => (await srv.kubectl(['get', 'ns', 'shop'])).code !== 0,
      'namespace shop removed',
      30_000,
    );
    assert.equal((await srv.k(['get', 'pods', '-n', 'shop', '-o', 'name'])).trim(), '');
    await srv.k(['delete', 'ns', 'gen', '--wait=true']);
    assert.notEqual((await srv.kubectl(['get', 'ns', 'gen'])).code, 0);
    const immortal = await srv.kubectl(['delete', 'ns', 'default']);
    assert.equal(immortal.code, 1);
    assert.match(immortal.stderr, /this namespace may not be deleted/);
  });
});
