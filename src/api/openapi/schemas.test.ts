import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindSchema } from '../protobuf/kinds.js';
import { componentSchemas, openAPIName, type Schema } from './schemas.js';

const pod = componentSchemas([{ message: 'core.v1.Pod', group: '', version: 'v1', kind: 'Pod' }]);
const get = (name: string): Schema => {
  const s = pod[name];
  assert.ok(s, `${name} is among the components`);
  return s;
};
const props = (name: string) => get(name).properties as Record<string, Schema>;

/** Every `$ref` anywhere below `node`. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refs(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

test('every $ref of a document resolves within its own components (explain follows them)', () => {
  const missing = refs(pod).filter((r) => !(r.replace('#/components/schemas/', '') in pod));
  assert.deepEqual([...new Set(missing)], []);
  assert.ok(Object.keys(pod).length > 50, 'PodSpec reaches most of core/v1');
});

test('the kind carries its GVK, apiVersion and kind, and upstream descriptions', () => {
  const p = get('io.k8s.api.core.v1.Pod');
  assert.deepEqual(p['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(Object.keys(props('io.k8s.api.core.v1.Pod')), [
    'apiVersion',
    'kind',
    'metadata',
    'spec',
    'status',
  ]);
  assert.match(String(p.description), /^Pod is a collection of containers that can run on a host/);
  assert.equal(get('io.k8s.api.core.v1.PodSpec')['x-kubernetes-group-version-kind'], undefined);
});

test('fields: refs in allOf beside their description, lists, maps, scalars with formats', () => {
  const spec = props('io.k8s.api.core.v1.PodSpec');
  assert.deepEqual(spec.initContainers, {
    description: spec.initContainers!.description,
    type: 'array',
    items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
  });
  assert.match(String(spec.initContainers!.description), /^List of initialization containers/);
  assert.deepEqual(spec.nodeSelector!.additionalProperties, { type: 'string' });
  assert.deepEqual(spec.affinity!.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Affinity' }]);
  const c = props('io.k8s.api.core.v1.Container');
  assert.deepEqual([c.name!.type, c.stdin!.type], ['string', 'boolean']);
  assert.deepEqual(
    [spec.activeDeadlineSeconds!.type, spec.activeDeadlineSeconds!.format],
    ['integer', 'int64'],
  );
  assert.deepEqual(props('io.k8s.api.core.v1.ResourceRequirements').limits!.additionalProperties, {
    $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
  });
});

test('required as kube-openapi computes it: no omitempty and no +optional', () => {
  assert.deepEqual(get('io.k8s.api.core.v1.PodSpec').required, ['containers']);
  assert.deepEqual(get('io.k8s.api.core.v1.Container').required, ['name']);
  assert.equal(get('io.k8s.api.core.v1.Pod').required, undefined);
});

test('enum fields list their values and describe them, as kube-openapi writes +enum types', () => {
  const restart = props('io.k8s.api.core.v1.PodSpec').restartPolicy!;
  assert.deepEqual(restart.enum, ['Always', 'Never', 'OnFailure']);
  assert.match(String(restart.description), /\n\nPossible enum values:\n - `"Always"`/);
  const caps = props('io.k8s.api.core.v1.ContainerPort').protocol!;
  assert.deepEqual(caps.enum, ['SCTP', 'TCP', 'UDP']);
  assert.equal(props('io.k8s.api.core.v1.Container').name!.enum, undefined);
});

test('inline members are flattened; special types keep the shape explain prints by name or type', () => {
  const volume = props('io.k8s.api.core.v1.Volume');
  for (const f of ['name', 'emptyDir', 'configMap', 'secret']) assert.ok(volume[f], `Volume.${f}`);
  assert.equal(volume.volumeSource, undefined);
  assert.equal(get('io.k8s.apimachinery.pkg.api.resource.Quantity').type, undefined);
  assert.equal(get('io.k8s.apimachinery.pkg.util.intstr.IntOrString').format, 'int-or-string');
  assert.deepEqual(
    [
      get('io.k8s.apimachinery.pkg.apis.meta.v1.Time').type,
      get('io.k8s.apimachinery.pkg.apis.meta.v1.Time').format,
    ],
    ['string', 'date-time'],
  );
});

test('every kind podbay decodes gets a schema (names map to upstream packages)', () => {
  for (const [apiVersion, kind] of [
    ['apps/v1', 'Deployment'],
    ['batch/v1', 'CronJob'],
    ['discovery.k8s.io/v1', 'EndpointSlice'],
    ['coordination.k8s.io/v1', 'Lease'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
  ] as const) {
    const message = kindSchema(apiVersion, kind)!.message;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const doc = componentSchemas([{ message, group: group!, version: version!, kind }]);
    assert.ok(doc[openAPIName(message)]?.['x-kubernetes-group-version-kind'], `${apiVersion} ${kind}`);
  }
  assert.equal(openAPIName('coordination.v1.Lease'), 'io.k8s.api.coordination.v1.Lease');
  assert.equal(openAPIName('networking.v1.IPBlock'), 'io.k8s.api.networking.v1.IPBlock');
});
