import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../api/errors.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import { FakeClient } from './fake-client.js';

const cm = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...extra },
});
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('FakeClient', () => {
  test('create assigns uid, resourceVersion, generateName suffix; duplicates are 409', () => {
    const c = new FakeClient();
    const a = c.create('configmaps', cm('a'));
    assert.match(a.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.equal(a.metadata.resourceVersion, '1');
    const g = c.create<KubeObject>('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'web-', namespace: 'default' },
    });
    assert.match(g.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.throws(
      () => c.create('configmaps', cm('a')),
      (e: unknown) => e instanceof ApiError && e.reason === 'AlreadyExists',
    );
  });

  test('update with a stale resourceVersion is a 409 Conflict; status is kept; generation follows spec', () => {
    const c = new FakeClient();
    const d = c.create<KubeObject>('deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { replicas: 1 },
    });
    const withStatus = c.updateStatus('deployments', { ...d, status: { replicas: 1 } });
    assert.throws(
      () => c.update('deployments', d),
      (e: unknown) => e instanceof ApiError && e.code === 409,
    );
    const relabelled = c.update<KubeObject>('deployments', {
      ...withStatus,
      metadata: { ...withStatus.metadata, labels: { a: 'b' } },
      status: {},
    });
    assert.deepEqual(relabelled.status, { replicas: 1 });
    assert.equal(relabelled.metadata.generation, 1);
    const scaled = c.update('deployments', {
      ...relabelled,
      spec: { ...(relabelled.spec as object), replicas: 2 },
    });
    assert.equal(scaled.metadata.generation, 2);
  });

  test('finalizers hold deletion until removed; propagation policies add theirs', () => {
    const c = new FakeClient();
    c.create('configmaps', cm('a', { finalizers: ['x/y'] }));
    c.delete('configmaps', 'default', 'a');
    const held = c.get('configmaps', 'default', 'a')!;
    assert.ok(held.metadata.deletionTimestamp);
    c.update('configmaps', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    assert.equal(c.get('configmaps', 'default', 'a'), undefined);
    c.create('configmaps', cm('b'));
    c.delete('configmaps', 'default', 'b', { propagationPolicy: 'Foreground' });
    assert.deepEqual(c.get('configmaps', 'default', 'b')!.metadata.finalizers, ['foregroundDeletion']);
    c.create('configmaps', cm('o'));
    c.delete('configmaps', 'default', 'o', { propagationPolicy: 'Orphan' });
    assert.deepEqual(c.get('configmaps', 'default', 'o')!.metadata.finalizers, ['orphan']);
    assert.throws(
      () => c.delete('configmaps', 'default', 'zzz'),
      (e: unknown) => e instanceof ApiError && e.code === 404,
    );
  });

  test('namespaces terminate and refuse new content until finalized', () => {
    const c = new FakeClient();
    c.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    c.delete('namespaces', '', 'dev');
    const ns = c.get('namespaces', '', 'dev')!;
    assert.equal((ns.status as { phase: string }).phase, 'Terminating');
    assert.throws(
      () => c.create('configmaps', cm('a', { namespace: 'dev' })),
      (e: unknown) => e instanceof ApiError && e.code === 403,
    );
    c.update('namespaces', { ...ns, spec: { finalizers: [] } });
    assert.equal(c.get('namespaces', '', 'dev'), undefined);
  });

  test('watch delivers events after the write, in resourceVersion order', async () => {
    const c = new FakeClient();
    const seen: string[] = [];
    const stop = c.watch('configmaps', (e: WatchEvent) =>
      seen.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`),
    );
    const a = c.create('configmaps', cm('a'));
    c.update('configmaps', { ...a, data: { k: 'v' } });
    c.delete('configmaps', 'default', 'a');
    assert.deepEqual(seen, [], 'not delivered synchronously');
    await tick();
    assert.deepEqual(seen, ['ADDED a 1', 'MODIFIED a 2', 'DELETED a 3']);
    stop();
    stop();
    c.create('configmaps', cm('b'));
    await tick();
    assert.equal(seen.length, 3);
  });

  test('list filters by namespace, labels and fields', () => {
    const c = new FakeClient();
    c.create('configmaps', cm('a', { labels: { app: 'web' } }));
    c.create('configmaps', cm('b', { labels: { app: 'db' } }));
    c.create('configmaps', {
      ...cm('c'),
      metadata: { name: 'c', namespace: 'other', labels: { app: 'web' } },
    });
    assert.deepEqual(
      c.list('configmaps', { labelSelector: 'app=web' }).map((o) => o.metadata.name),
      ['a', 'c'],
    );
    assert.deepEqual(
      c.list('configmaps', { namespace: 'default', labelSelector: 'app=web' }).map((o) => o.metadata.name),
      ['a'],
    );
    assert.deepEqual(
      c.list('configmaps', { fieldSelector: 'metadata.name=b' }).map((o) => o.metadata.name),
      ['b'],
    );
  });
});
