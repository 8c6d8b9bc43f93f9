import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { createControllers, startControllers } from './index.js';
import { createNamespace, newHarness, readyAll } from './testing/harness.js';
import { settle } from './testing/settle.js';

test('startControllers runs every controller together: a deployment comes up and goes away', async () => {
  const h = newHarness();
  createNamespace(h, 'default');
  const all = createControllers(h.deps, { rootCAPem: 'PEM', resyncPeriodMs: 0 });
  assert.deepEqual(all.map((c) => c.name).sort(), [
    'clusterrole-aggregation',
    'cronjob',
    'daemonset',
    'deployment',
    'disruption',
    'endpoints',
    'endpointslice',
    'endpointslicemirroring',
    'garbage-collector',
    'horizontalpodautoscaling',
    'job',
    'namespace',
    'node-lifecycle',
    'persistentvolume-binder',
    'pv-protection',
    'pvc-protection',
    'replicaset',
    'resourcequota',
    'root-ca-cert-publisher',
    'serviceaccount',
    'statefulset',
    'ttl-after-finished',
  ]);
  const running = startControllers(h.deps, { rootCAPem: 'PEM', resyncPeriodMs: 0 });
  // Quiescence is judged on a second set of controllers' queues only through the client.
  const quiet = [{ isQuiet: () => h.client.isQuiet() }];
  h.client.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  } as KubeObject);
  for (let i = 0; i < 200 && h.client.list('pods').length < 2; i++) await settle(h.client, quiet);
  readyAll(h);
  for (let i = 0; i < 200; i++) {
    await settle(h.client, quiet);
    if (
      (h.client.get('deployments', 'default', 'web')?.status as { availableReplicas?: number })
        ?.availableReplicas === 2
    )
      break;
  }
  assert.equal(
    (h.client.get('deployments', 'default', 'web')!.status as { availableReplicas: number })
      .availableReplicas,
    2,
  );
  assert.ok(h.client.get('serviceaccounts', 'default', 'default'));
  assert.ok(h.client.get('configmaps', 'default', 'kube-root-ca.crt'));
  h.client.delete('deployments', 'default', 'web');
  for (let i = 0; i < 200 && h.client.list('pods').length > 0; i++) await settle(h.client, quiet);
  assert.equal(h.client.list('replicasets').length, 0);
  assert.equal(h.client.list('pods').length, 0);
  running.stop();
  running.stop();
});
