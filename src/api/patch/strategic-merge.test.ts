import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { deepFreeze } from './testing/helpers.js';

const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
const POD = { group: '', kind: 'Pod' };
const SERVICE = { group: '', kind: 'Service' };

const smp = (original: unknown, patch: unknown, kind = POD): unknown =>
  applyStrategicMergePatch(deepFreeze(original), deepFreeze(patch), kind);

describe('applyStrategicMergePatch: the kubectl apply 3-way patch (kubectl-protocol.md 5.1)', () => {
  const live = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'nginx:1.25',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80 }, { containerPort: 443 }],
              volumeMounts: [
                { mountPath: '/a', name: 'v1' },
                { mountPath: '/b', name: 'v2' },
              ],
            },
            { name: 'sidecar', image: 'busybox' },
          ],
          volumes: [
            { name: 'v1', emptyDir: {} },
            { name: 'v2', configMap: { name: 'cm' } },
          ],
        },
      },
    },
  };
  const patch = {
    spec: {
      strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'logger' }, { name: 'main' }],
          containers: [
            { name: 'logger', image: 'fluent/fluent-bit' },
            {
              name: 'main',
              image: 'nginx:1.26',
              '$setElementOrder/env': [{ name: 'B' }],
              env: [
                { name: 'B', value: '3' },
                { $patch: 'delete', name: 'A' },
              ],
              ports: [{ $patch: 'delete', containerPort: 443 }],
              volumeMounts: [{ $patch: 'delete', mountPath: '/b' }],
            },
            { $patch: 'delete', name: 'sidecar' },
          ],
          volumes: [
            { $retainKeys: ['name', 'secret'], configMap: null, name: 'v2', secret: { secretName: 's' } },
          ],
        },
      },
    },
  };

  test('every directive kubectl sends is honoured', () => {
    assert.deepEqual(smp(live, patch, DEPLOYMENT), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'logger', image: 'fluent/fluent-bit' },
              {
                name: 'main',
                image: 'nginx:1.26',
                env: [{ name: 'B', value: '3' }],
                ports: [{ containerPort: 80 }],
                volumeMounts: [{ mountPath: '/a', name: 'v1' }],
              },
            ],
            volumes: [
              { name: 'v1', emptyDir: {} },
              { name: 'v2', secret: { secretName: 's' } },
            ],
          },
        },
      },
    });
  });

  test('the annotation-only patch kubectl sends on re-apply', () => {
    const out = smp(
      live,
      {
        metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
        spec: { replicas: 3 },
      },
      DEPLOYMENT,
    ) as typeof live;
    assert.deepEqual(out.metadata, {
      name: 'web',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
    });
    assert.equal(out.spec.replicas, 3);
    assert.deepEqual(out.spec.template, live.spec.template);
  });
});

describe('applyStrategicMergePatch: semantics', () => {
  test('maps merge, null deletes, unmatched nulls are ignored', () => {
    assert.deepEqual(
      smp(
        { metadata: { labels: { a: '1', b: '2' } } },
        { metadata: { labels: { a: null, c: '3', zz: null } } },
      ),
      {
        metadata: { labels: { b: '2', c: '3' } },
      },
    );
  });

  test('merge list by key keeps live-only items in place; new items appended in patch order', () => {
    const pod = {
      spec: {
        containers: [
          { name: 'a', image: '1' },
          { name: 'b', image: '1' },
        ],
      },
    };
    assert.deepEqual(
      smp(pod, {
        spec: {
          containers: [
            { name: 'c', image: '2' },
            { name: 'a', image: '2' },
          ],
        },
      }),
      {
        spec: {
          containers: [
            { name: 'c', image: '2' },
            { name: 'a', image: '2' },
            { name: 'b', image: '1' },
          ],
        },
      },
    );
  });

  test('lists without a merge strategy are replaced (args, tolerations)', () => {
    const pod = { spec: { containers: [{ name: 'a', args: ['x', 'y'] }], tolerations: [{ key: 'k' }] } };
    assert.deepEqual(
      smp(pod, { spec: { containers: [{ name: 'a', args: ['z'] }], tolerations: [{ key: 'j' }] } }),
      {
        spec: { containers: [{ name: 'a', args: ['z'] }], tolerations: [{ key: 'j' }] },
      },
    );
  });

  test('finalizers merge as a set; $deleteFromPrimitiveList removes scalars', () => {
    const obj = { metadata: { finalizers: ['a', 'b'] } };
    assert.deepEqual(smp(obj, { metadata: { finalizers: ['c', 'a'] } }), {
      metadata: { finalizers: ['c', 'a', 'b'] },
    });
    assert.deepEqual(smp(obj, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }), {
      metadata: { finalizers: ['b'] },
    });
    assert.deepEqual(smp(obj, { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } }), {
      metadata: { finalizers: ['b', 'a'] },
    });
  });

  test('ownerReferences merge by uid; Service ports merge by port', () => {
    const rs = { metadata: { ownerReferences: [{ uid: 'u1', name: 'd1' }] } };
    assert.deepEqual(
      smp(
        rs,
        {
          metadata: {
            ownerReferences: [
              { uid: 'u1', name: 'd2' },
              { uid: 'u2', name: 'x' },
            ],
          },
        },
        DEPLOYMENT,
      ),
      {
        metadata: {
          ownerReferences: [
            { uid: 'u1', name: 'd2' },
            { uid: 'u2', name: 'x' },
          ],
        },
      },
    );
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    assert.deepEqual(smp(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, SERVICE), {
      spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] },
    });
  });

  test('ReplicaSet shares the pod template subtree', () => {
    const rs = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: '1' },
              { name: 'b', image: '1' },
            ],
          },
        },
      },
    };
    assert.deepEqual(
      smp(
        rs,
        { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } },
        { group: 'apps', kind: 'ReplicaSet' },
      ),
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'a', image: '1' },
                { name: 'b', image: '2' },
              ],
            },
          },
        },
      },
    );
  });

  test('$patch replace and delete on maps; $patch replace in a list', () => {
    const pod = { spec: { nodeSelector: { a: '1', b: '2' }, containers: [{ name: 'a' }, { name: 'b' }] } };
    assert.deepEqual(smp(pod, { spec: { nodeSelector: { $patch: 'replace', c: '3' } } }), {
      spec: { nodeSelector: { c: '3' }, containers: [{ name: 'a' }, { name: 'b' }] },
    });
    assert.deepEqual(smp(pod, { spec: { nodeSelector: { $patch: 'delete' } } }), {
      spec: { nodeSelector: {}, containers: [{ name: 'a' }, { name: 'b' }] },
    });
    assert.deepEqual(smp(pod, { spec: { containers: [{ name: 'z' }, { $patch: 'replace' }] } }), {
      spec: { nodeSelector: { a: '1', b: '2' }, containers: [{ name: 'z' }] },
    });
  });

  test('a new value keeps no directives or nulls', () => {
    assert.deepEqual(
      smp(
        { spec: {} },
        {
          spec: {
            containers: [
              { name: 'a', x: null },
              { name: 'b', $patch: 'delete' },
            ],
            strategy: { $retainKeys: ['type'], type: 'Recreate' },
          },
        },
      ),
      { spec: { containers: [{ name: 'a' }], strategy: { type: 'Recreate' } } },
    );
  });

  test('unknown kinds merge maps and replace lists', () => {
    const kind = { group: 'example.com', kind: 'Widget' };
    assert.deepEqual(
      smp(
        { spec: { items: [{ name: 'a' }], m: { x: 1 } } },
        { spec: { items: [{ name: 'b' }], m: { y: 2 } } },
        kind,
      ),
      {
        spec: { items: [{ name: 'b' }], m: { x: 1, y: 2 } },
      },
    );
  });

  test('a null patch is a no-op; inputs are never mutated', () => {
    const pod = deepFreeze({ spec: { containers: [{ name: 'a' }] } });
    assert.deepEqual(applyStrategicMergePatch(pod, null, POD), pod);
  });
});

describe('applyStrategicMergePatch: $setElementOrder', () => {
  test('live-only items keep their live position between ordered ones', () => {
    const live = { spec: { containers: [{ name: 'a' }, { name: 'x' }, { name: 'b' }] } };
    assert.deepEqual(smp(live, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } }), {
      spec: { containers: [{ name: 'x' }, { name: 'b' }, { name: 'a' }] },
    });
  });

  test('a list the live object lacks is added without directives', () => {
    assert.deepEqual(
      smp(
        { spec: {} },
        {
          spec: {
            '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
            containers: [{ name: 'b' }, { name: 'a', image: 'x' }, { name: 'gone', $patch: 'delete' }],
          },
        },
      ),
      { spec: { containers: [{ name: 'b' }, { name: 'a', image: 'x' }] } },
    );
  });
});
