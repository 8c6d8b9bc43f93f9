import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1';
import { ResourceQuotaController } from '../../controllers/resourcequota/controller.js';
import { FakeEventRecorder } from '../../controllers/testing/fake-events.js';
import type { KubeObject } from '../types.js';
import {
  type AdmissionTestRegistry,
  openAdmissionRegistry,
  podWith,
  thrownMessage,
} from './testing/registry.js';

type Quota = ResourceQuota & KubeObject;

describe('ResourceQuota admission and controller', () => {
  let t: AdmissionTestRegistry;
  let controller: ResourceQuotaController;
  beforeEach(() => {
    t = openAdmissionRegistry();
    controller = new ResourceQuotaController({
      client: t.registry,
      events: new FakeEventRecorder(),
      clock: { now: () => new Date() },
      log: () => {},
    });
    controller.start();
  });
  afterEach(() => {
    controller.stop();
    t.close();
  });

  async function settle(): Promise<void> {
    for (let quiet = 0, i = 0; quiet < 5 && i < 5000; i++) {
      await new Promise<void>((r) => setImmediate(r));
      quiet = controller.isQuiet() ? quiet + 1 : 0;
    }
  }
  const quota = async (name: string, spec: ResourceQuota['spec']): Promise<void> => {
    t.registry.create('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name, namespace: 'default' },
      spec,
    });
    await settle();
  };
  const status = (name = 'q') => t.registry.get<Quota>('resourcequotas', 'default', name)!.status;
  const small = (name: string) =>
    podWith(name, { app: { requests: { cpu: '500m' }, limits: { memory: '256Mi' } } });

  test('the controller mirrors hard and counts used', async () => {
    t.registry.create('pods', small('before'));
    await quota('q', { hard: { pods: '2', 'requests.cpu': '1', 'limits.memory': '1Gi', 'count/pods': '5' } });
    assert.deepEqual(status(), {
      hard: { 'count/pods': '5', 'limits.memory': '1Gi', pods: '2', 'requests.cpu': '1' },
      used: { 'count/pods': '1', 'limits.memory': '256Mi', pods: '1', 'requests.cpu': '500m' },
    });
  });

  test('must specify, exceeded, charged in the same request, freed on delete', async () => {
    await quota('q', { hard: { pods: '2', 'requests.cpu': '1', 'limits.memory': '1Gi' } });
    assert.deepEqual(status()!.used, { 'limits.memory': '0', pods: '0', 'requests.cpu': '0' });
    assert.equal(
      thrownMessage(() =>
        t.registry.create('pods', podWith('bare', { app: undefined, side: { limits: { memory: '1Mi' } } })),
      ),
      'pods "bare" is forbidden: failed quota: q: must specify limits.memory for: app; requests.cpu for: app,side',
    );
    t.registry.create('pods', small('a'));
    // Charged before the controller ran.
    assert.deepEqual(status()!.used, { 'limits.memory': '256Mi', pods: '1', 'requests.cpu': '500m' });
    t.registry.create('pods', small('b'));
    assert.equal(
      thrownMessage(() => t.registry.create('pods', small('c'))),
      'pods "c" is forbidden: exceeded quota: q, requested: pods=1,requests.cpu=500m, used: pods=2,requests.cpu=1, limited: pods=2,requests.cpu=1',
    );
    assert.equal(t.registry.get('pods', 'default', 'c'), undefined);
    await settle();
    assert.deepEqual(status()!.used, { 'limits.memory': '512Mi', pods: '2', 'requests.cpu': '1' });
    t.registry.delete('pods', 'default', 'a');
    await settle();
    assert.deepEqual(status()!.used, { 'limits.memory': '256Mi', pods: '1', 'requests.cpu': '500m' });
    t.registry.create('pods', small('c'));
  });

  test('dry run is checked but not charged; terminal pods do not count', async () => {
    await quota('q', { hard: { pods: '1', 'count/pods': '5' } });
    t.registry.create('pods', podWith('dry', { app: undefined }), { dryRun: true });
    assert.deepEqual(status()!.used, { 'count/pods': '0', pods: '0' });
    const p = t.registry.create('pods', podWith('done', { app: undefined })) as Pod & KubeObject;
    assert.match(
      thrownMessage(() => t.registry.create('pods', podWith('next', { app: undefined }))),
      /exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1$/,
    );
    t.registry.updateStatus('pods', { ...p, status: { ...p.status, phase: 'Succeeded' } });
    await settle();
    assert.deepEqual(status()!.used, { 'count/pods': '1', pods: '0' });
    t.registry.create('pods', podWith('next', { app: undefined }));
  });

  test('status unknown until the quota is counted', async () => {
    controller.stop();
    t.registry.create('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'default' },
      spec: { hard: { pods: '1' } },
    });
    // Not yet synced at all: the quota holds nothing this kind counts in status.hard, so it does not apply.
    t.registry.create('pods', podWith('early', { app: undefined }));
    const q = t.registry.get<Quota>('resourcequotas', 'default', 'q')!;
    t.registry.updateStatus('resourcequotas', { ...q, status: { hard: { pods: '1' } } });
    assert.equal(
      thrownMessage(() => t.registry.create('pods', podWith('p', { app: undefined }))),
      'pods "p" is forbidden: status unknown for quota: q, resources: pods',
    );
  });

  test('scopes: BestEffort and NotTerminating', async () => {
    await quota('be', { hard: { pods: '1' }, scopes: ['BestEffort'] });
    await quota('nt', {
      hard: { pods: '1' },
      scopeSelector: { matchExpressions: [{ scopeName: 'Terminating', operator: 'Exists' }] },
    });
    t.registry.create('pods', podWith('be1', { app: undefined }));
    // Burstable: not in the BestEffort quota.
    t.registry.create('pods', small('burst'));
    assert.match(
      thrownMessage(() => t.registry.create('pods', podWith('be2', { app: undefined }))),
      /exceeded quota: be,/,
    );
    const terminating = (name: string) => {
      const p = small(name);
      (p.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds = 60;
      return p;
    };
    t.registry.create('pods', terminating('t1'));
    assert.match(
      thrownMessage(() => t.registry.create('pods', terminating('t2'))),
      /exceeded quota: nt,/,
    );
    await settle();
    assert.deepEqual(status('be')!.used, { pods: '1' });
    assert.deepEqual(status('nt')!.used, { pods: '1' });
  });

  test('PriorityClass scope with real classes: the class admission gives (globalDefault included) is charged', async () => {
    for (const [name, value, globalDefault] of [
      ['high', 1000, false],
      ['low', 10, true],
    ] as const) {
      t.registry.create('priorityclasses', {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name },
        value,
        globalDefault,
      } as KubeObject);
    }
    await quota('hi', {
      hard: { pods: '1' },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
    });
    await quota('lo', {
      hard: { pods: '1' },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['low'] }] },
    });
    const withClass = (name: string, priorityClassName?: string) => {
      const p = podWith(name, { app: undefined });
      if (priorityClassName) (p.spec as { priorityClassName?: string }).priorityClassName = priorityClassName;
      return p;
    };
    t.registry.create('pods', withClass('h1', 'high'));
    assert.match(
      thrownMessage(() => t.registry.create('pods', withClass('h2', 'high'))),
      /exceeded quota: hi,/,
    );
    // No class named: Priority admission gives it the globalDefault `low`, which the `lo` quota charges.
    t.registry.create('pods', withClass('d1'));
    assert.match(
      thrownMessage(() => t.registry.create('pods', withClass('d2'))),
      /exceeded quota: lo,/,
    );
    await settle();
    assert.deepEqual(status('hi')!.used, { pods: '1' });
    assert.deepEqual(status('lo')!.used, { pods: '1' });
  });

  test('object counts and services', async () => {
    await quota('q', {
      hard: { configmaps: '1', 'count/secrets': '1', 'services.nodeports': '2', services: '5' },
    });
    const cm = (name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default' },
    });
    t.registry.create('configmaps', cm('a'));
    assert.equal(
      thrownMessage(() => t.registry.create('configmaps', cm('b'))),
      'configmaps "b" is forbidden: exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=1',
    );
    const svc = (name: string, ports: number) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: {
        type: 'NodePort',
        ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i, name: `p${i}` })),
      },
    });
    t.registry.create('services', svc('one', 1));
    assert.equal(
      thrownMessage(() => t.registry.create('services', svc('two', 2))),
      'services "two" is forbidden: exceeded quota: q, requested: services.nodeports=2, used: services.nodeports=1, limited: services.nodeports=2',
    );
    await settle();
    assert.deepEqual(status()!.used, {
      configmaps: '1',
      'count/secrets': '0',
      services: '1',
      'services.nodeports': '1',
    });
  });

  test('two creates racing for the last slot: one wins', async () => {
    await quota('q', { hard: { pods: '1' } });
    const original = t.registry.updateStatus.bind(t.registry);
    let raced = false;
    // The first charge finds that another request charged the quota meanwhile (its resourceVersion is stale).
    t.registry.updateStatus = ((resource: string, obj: KubeObject) => {
      if (resource === 'resourcequotas' && !raced) {
        raced = true;
        t.registry.create('pods', podWith('winner', { app: undefined }));
      }
      return original(resource, obj);
    }) as typeof t.registry.updateStatus;
    assert.equal(
      thrownMessage(() => t.registry.create('pods', podWith('loser', { app: undefined }))),
      'pods "loser" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1',
    );
    assert.ok(t.registry.get('pods', 'default', 'winner'));
    assert.equal(t.registry.get('pods', 'default', 'loser'), undefined);
    assert.deepEqual(status()!.used, { pods: '1' });
  });

  test('claims: persistentvolumeclaims, requests.storage and the per-class names', async () => {
    t.registry.create('storageclasses', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gold', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'example.com/gold',
    } as KubeObject);
    await quota('q', {
      hard: {
        persistentvolumeclaims: '3',
        'requests.storage': '10Gi',
        'gold.storageclass.storage.k8s.io/requests.storage': '3Gi',
      },
    });
    const claim = (name: string, storage: string, storageClassName?: string) => () =>
      t.registry.create('persistentvolumeclaims', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name, namespace: 'default' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage } },
          ...(storageClassName !== undefined && { storageClassName }),
        },
      });
    claim('a', '2Gi')();
    await settle();
    assert.deepEqual(status()!.used, {
      'gold.storageclass.storage.k8s.io/requests.storage': '2Gi',
      persistentvolumeclaims: '1',
      'requests.storage': '2Gi',
    });
    assert.equal(
      thrownMessage(claim('b', '2Gi')),
      'persistentvolumeclaims "b" is forbidden: exceeded quota: q, requested: gold.storageclass.storage.k8s.io/requests.storage=2Gi, used: gold.storageclass.storage.k8s.io/requests.storage=2Gi, limited: gold.storageclass.storage.k8s.io/requests.storage=3Gi',
    );
    claim('c', '5Gi', '')();
    await settle();
    assert.equal(status()!.used?.['requests.storage'], '7Gi');
  });
});
