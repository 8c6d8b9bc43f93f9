/**
 * CustomResourceDefinitions end to end against a real `podbay server` (API only) and the stock
 * kubectl, with the kubernetes.io docs' CronTab: the CRD is Established at once, `kubectl get ct`
 * prints its additionalPrinterColumns, an invalid object is refused with the field named, undeclared
 * fields are refused (kubectl's fieldValidation=Strict) or pruned, defaults are applied, patches work
 * (strategic merge refused as upstream), and `kubectl delete crd` takes the objects with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer } from '../../../test/e2e/harness.js';

const server = new TestServer();

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec:
                  type: string
                  pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
                image:
                  type: string
                replicas:
                  type: integer
                  minimum: 1
                  maximum: 10
                  default: 1
            status:
              type: object
              properties:
                replicas:
                  type: integer
      subresources:
        status: {}
        scale:
          specReplicasPath: .spec.replicas
          statusReplicasPath: .status.replicas
      additionalPrinterColumns:
      - name: Spec
        type: string
        description: The cron spec defining the interval a CronJob is run
        jsonPath: .spec.cronSpec
      - name: Replicas
        type: integer
        jsonPath: .spec.replicas
      - name: Image
        type: string
        priority: 1
        jsonPath: .spec.image
      - name: Age
        type: date
        jsonPath: .metadata.creationTimestamp
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames:
    - ct
`;

const cronTab = (name: string, spec: string) => `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: ${name}
spec:
${spec}
`;

describe('CustomResourceDefinitions and custom resources (kubectl)', { timeout: 120_000 }, () => {
  before(() => server.start());
  after(() => server.destroy());

  test('a CRD is established at once and listed as NAME / CREATED AT', async () => {
    await server.k(['apply', '-f', '-'], CRD);
    await server.k([
      'wait',
      '--for',
      'condition=established',
      '--timeout=10s',
      'crd/crontabs.stable.example.com',
    ]);
    const out = await server.k(['get', 'crds']);
    assert.match(out, /^NAME\s+CREATED AT\ncrontabs\.stable\.example\.com\s+\d{4}-\d\d-\d\dT/);
    const accepted = await server.k([
      'get',
      'crd',
      'crontabs.stable.example.com',
      '-o',
      'jsonpath={.status.acceptedNames.shortNames}',
    ]);
    assert.equal(accepted, '["ct"]');
  });

  test('create, get and list through the short name, with the printer columns', async () => {
    await server.k(
      ['apply', '-f', '-'],
      cronTab('my-new-cron-object', '  cronSpec: "* * * * */5"\n  image: my-awesome-cron-image'),
    );
    const plain = await server.k(['get', 'ct']);
    assert.match(
      plain,
      /^NAME\s+SPEC\s+REPLICAS\s+AGE\nmy-new-cron-object\s+\* \* \* \* \*\/5\s+1\s+\d+s\n$/,
    );
    const wide = await server.k(['get', 'crontabs', '-o', 'wide']);
    assert.match(
      wide,
      /^NAME\s+SPEC\s+REPLICAS\s+IMAGE\s+AGE\nmy-new-cron-object\s+.*\s+1\s+my-awesome-cron-image\s+/,
    );
    const obj = JSON.parse(
      await server.k(['get', 'crontab.stable.example.com', 'my-new-cron-object', '-o', 'json']),
    );
    assert.equal(obj.spec.replicas, 1, 'the schema default is applied');
    assert.equal(obj.metadata.namespace, 'default');
  });

  test('kubectl explain reads the kind from the CRD schema', async () => {
    const out = await server.k(['explain', 'ct.spec']);
    assert.match(out, /^GROUP:\s+stable\.example\.com\nKIND:\s+CronTab\nVERSION:\s+v1\n/);
    assert.match(out, /cronSpec\t<string>/);
    assert.match(out, /replicas\t<integer>/);
  });

  test('an invalid object is refused with the fields named', async () => {
    const r = await server.kubectl(
      ['apply', '-f', '-'],
      cronTab('bad', '  cronSpec: "nope"\n  replicas: 20'),
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The CronTab "bad" is invalid:/);
    assert.match(r.stderr, /spec\.cronSpec: Invalid value: "nope": spec\.cronSpec in body should match/);
    assert.match(
      r.stderr,
      /spec\.replicas: Invalid value: 20: spec\.replicas in body should be less than or equal to 10/,
    );
  });

  test('undeclared fields: refused under Strict (kubectl default), pruned under Ignore', async () => {
    const body = cronTab('extra', '  cronSpec: "* * * * */5"\n  unknown: 1');
    const strict = await server.kubectl(['create', '-f', '-'], body);
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /strict decoding error: unknown field "spec\.unknown"/);
    await server.k(['create', '--validate=false', '-f', '-'], body);
    const obj = JSON.parse(await server.k(['get', 'ct', 'extra', '-o', 'json']));
    assert.deepEqual(obj.spec, { cronSpec: '* * * * */5', replicas: 1 });
  });

  test('merge and JSON patches; strategic merge is refused as upstream', async () => {
    await server.k(['patch', 'ct', 'my-new-cron-object', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
    await server.k([
      'patch',
      'ct',
      'my-new-cron-object',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/image","value":"v2"}]',
    ]);
    const obj = JSON.parse(await server.k(['get', 'ct', 'my-new-cron-object', '-o', 'json']));
    assert.equal(obj.spec.replicas, 3);
    assert.equal(obj.spec.image, 'v2');
    const smp = await server.kubectl(['patch', 'ct', 'my-new-cron-object', '-p', '{"spec":{"replicas":4}}']);
    assert.notEqual(smp.code, 0);
    assert.match(
      smp.stderr,
      /the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/,
    );
    const bad = await server.kubectl([
      'patch',
      'ct',
      'my-new-cron-object',
      '--type=merge',
      '-p',
      '{"spec":{"replicas":0}}',
    ]);
    assert.match(bad.stderr, /spec\.replicas in body should be greater than or equal to 1/);
  });

  test('status and scale subresources as the CRD declares them', async () => {
    await server.k([
      'patch',
      'ct',
      'my-new-cron-object',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"replicas":2}}',
    ]);
    // Through the main resource, status is the server's.
    await server.k(['patch', 'ct', 'my-new-cron-object', '--type=merge', '-p', '{"status":{"replicas":9}}']);
    await server.k(['scale', 'ct', 'my-new-cron-object', '--replicas=5']);
    const obj = JSON.parse(await server.k(['get', 'ct', 'my-new-cron-object', '-o', 'json']));
    assert.deepEqual([obj.spec.replicas, obj.status.replicas], [5, 2]);
    const tooMany = await server.kubectl(['scale', 'ct', 'my-new-cron-object', '--replicas=40']);
    assert.match(tooMany.stderr, /spec\.replicas in body should be less than or equal to 10/);
  });

  test('kubectl delete crd deletes its objects and stops serving the kind', async () => {
    await server.k(['create', 'namespace', 'crd-e2e']);
    await server.k(['-n', 'crd-e2e', 'create', '-f', '-'], cronTab('other', '  cronSpec: "* * * * */5"'));
    // ResourceQuota counts the kind by its count/<plural>.<group> name, served after the engine started.
    await server.k(['-n', 'crd-e2e', 'create', 'quota', 'q', '--hard=count/crontabs.stable.example.com=1']);
    await server.k([
      '-n',
      'crd-e2e',
      'wait',
      '--for=jsonpath={.status.used.count/crontabs\\.stable\\.example\\.com}=1',
      '--timeout=20s',
      'quota/q',
    ]);
    const over = await server.kubectl(
      ['-n', 'crd-e2e', 'create', '-f', '-'],
      cronTab('second', '  cronSpec: "* * * * */5"'),
    );
    assert.match(over.stderr, /exceeded quota: q, requested: count\/crontabs\.stable\.example\.com=1/);
    await server.k(['delete', 'crd', 'crontabs.stable.example.com']);
    assert.equal((await server.k(['get', 'crds', '-o', 'name'])).trim(), '');
    const gone = await server.kubectl(['get', 'crontabs.stable.example.com', '-A']);
    assert.notEqual(gone.code, 0);
    // Re-created, the kind starts empty: the objects went with the CRD.
    await server.k(['apply', '-f', '-'], CRD);
    await server.k([
      'wait',
      '--for',
      'condition=established',
      '--timeout=10s',
      'crd/crontabs.stable.example.com',
    ]);
    assert.equal((await server.k(['get', 'ct', '-A', '-o', 'name'])).trim(), '');
    await server.k(['delete', 'crd', 'crontabs.stable.example.com']);
    await server.k(['delete', 'namespace', 'crd-e2e']);
  });
});
