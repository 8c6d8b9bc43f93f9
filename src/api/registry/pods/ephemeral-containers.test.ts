/**
 * pods/ephemeralcontainers inside the real registry (SQLite store in memory, the production
 * catalog): only additions to spec.ephemeralContainers get through it, everything else of the
 * pod is kept as stored; the main resource refuses them on create and on update.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { Store } from '../../../store/sqlite-store.js';
import { applyStrategicMergePatch } from '../../patch/strategic-merge.js';
import { thrownApiError } from '../../testing/api-errors.js';
import type { KubeObject } from '../../types.js';
import { createStrategies } from '../catalog.js';
import { recordManagedFields } from '../managed-fields.js';
import { Registry } from '../registry.js';
import { dropNonEphemeralContainerUpdates, ephemeralContainersRegistry } from './ephemeral-containers.js';

type PodObj = Pod & KubeObject;

describe('pods/ephemeralcontainers in the registry', () => {
  let store: Store;
  let registry: Registry;
  let sub: Registry;
  const clock = { now: () => new Date() };
  before(() => {
    store = Store.open({ path: ':memory:' });
    registry = new Registry({
      store,
      strategies: createStrategies({ store }),
      clock,
      onWrite: (old, obj, manager, subresource) =>
        recordManagedFields(old, obj, manager, clock.now(), subresource),
    });
    registry.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    sub = ephemeralContainersRegistry(registry, clock);
  });
  after(() => store.close());

  const createPod = (name: string): PodObj =>
    registry.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    } as PodObj);

  test('one registry per main registry', () => {
    assert.equal(ephemeralContainersRegistry(registry, clock), sub);
  });

  test("kubectl debug's strategic-merge patch adds a defaulted ephemeral container", () => {
    const stored = createPod('web');
    // What kubectl debug sends (CreateTwoWayMergePatch of the pod before and after).
    const patch = {
      spec: {
        ephemeralContainers: [
          {
            name: 'debugger-abcde',
            image: 'busybox',
            command: ['sh'],
            stdin: true,
            tty: true,
            targetContainerName: 'app',
          },
        ],
      },
    };
    const patched = applyStrategicMergePatch(structuredClone(stored), patch, { group: '', kind: 'Pod' });
    const out = sub.updateIn('pods', 'default', 'web', patched as KubeObject, false, {
      fieldManager: 'kubectl-debug',
    }) as PodObj;
    const [ec] = out.spec?.ephemeralContainers ?? [];
    assert.equal(ec?.name, 'debugger-abcde');
    assert.equal(ec?.targetContainerName, 'app');
    assert.equal(ec?.terminationMessagePolicy, 'File');
    assert.equal(ec?.imagePullPolicy, 'Always');
    assert.notEqual(out.metadata.resourceVersion, stored.metadata.resourceVersion);
    // The QoS class is the stored one: ephemeral containers take no part in it.
    assert.equal(out.status?.qosClass, 'BestEffort');
    const entry = out.metadata.managedFields?.find((m) => m.manager === 'kubectl-debug');
    assert.equal(entry?.subresource, 'ephemeralcontainers');
    assert.equal(entry?.operation, 'Update');
  });

  test('everything but spec.ephemeralContainers is kept as stored', () => {
    const stored = createPod('keep');
    const next = structuredClone(stored);
    next.metadata.labels = { app: 'changed' };
    next.spec!.containers[0]!.image = 'nginx:1.28';
    next.spec!.ephemeralContainers = [{ name: 'dbg', image: 'busybox' }];
    (next.status as { phase?: string }).phase = 'Running';
    const out = sub.updateIn('pods', 'default', 'keep', next, false) as PodObj;
    assert.deepEqual(out.metadata.labels, { app: 'keep' });
    assert.equal(out.spec?.containers[0]?.image, 'nginx:1.27');
    assert.equal(out.status?.phase, 'Pending');
    assert.deepEqual(
      out.spec?.ephemeralContainers?.map((e) => e.name),
      ['dbg'],
    );
  });

  test('existing entries may not be removed or changed; forbidden fields are a 422', () => {
    const stored = createPod('fixed');
    const withOne = structuredClone(stored);
    withOne.spec!.ephemeralContainers = [{ name: 'dbg', image: 'busybox' }];
    const current = sub.updateIn('pods', 'default', 'fixed', withOne, false) as PodObj;

    const removed = structuredClone(current);
    removed.spec!.ephemeralContainers = [];
    const e1 = thrownApiError(() => sub.updateIn('pods', 'default', 'fixed', removed, false));
    assert.equal(e1.code, 422);
    assert.match(e1.message, /existing ephemeral containers "dbg" may not be removed/);

    const changed = structuredClone(current);
    changed.spec!.ephemeralContainers![0]!.image = 'nginx';
    const e2 = thrownApiError(() => sub.updateIn('pods', 'default', 'fixed', changed, false));
    assert.match(e2.message, /existing ephemeral containers "dbg" may not be changed/);

    const withPorts = structuredClone(current);
    withPorts.spec!.ephemeralContainers!.push({
      name: 'dbg2',
      image: 'busybox',
      ports: [{ containerPort: 80 }],
    });
    const e3 = thrownApiError(() => sub.updateIn('pods', 'default', 'fixed', withPorts, false));
    assert.equal(
      e3.message,
      'Pod "fixed" is invalid: spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an Ephemeral Container',
    );

    const clash = structuredClone(current);
    clash.spec!.ephemeralContainers!.push({ name: 'app', image: 'busybox' });
    const e4 = thrownApiError(() => sub.updateIn('pods', 'default', 'fixed', clash, false));
    assert.match(e4.message, /spec\.ephemeralContainers\[1\]\.name: Duplicate value: "app"/);
  });

  test('a stale resourceVersion is a 409, as on any update', () => {
    const stored = createPod('stale');
    registry.updateIn(
      'pods',
      'default',
      'stale',
      { ...stored, metadata: { ...stored.metadata, labels: {} } },
      false,
    );
    const next = structuredClone(stored);
    next.spec!.ephemeralContainers = [{ name: 'dbg', image: 'busybox' }];
    assert.equal(thrownApiError(() => sub.updateIn('pods', 'default', 'stale', next, false)).code, 409);
  });

  test('the pods resource refuses them on create and on update', () => {
    const e1 = thrownApiError(() =>
      registry.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'born-with', namespace: 'default' },
        spec: {
          containers: [{ name: 'app', image: 'nginx:1.27' }],
          ephemeralContainers: [{ name: 'dbg', image: 'busybox' }],
        },
      } as PodObj),
    );
    assert.equal(e1.code, 422);
    assert.equal(
      e1.message,
      'Pod "born-with" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create',
    );

    const stored = createPod('main');
    const next = structuredClone(stored);
    next.spec!.ephemeralContainers = [{ name: 'dbg', image: 'busybox' }];
    const e2 = thrownApiError(() => registry.updateIn('pods', 'default', 'main', next, false));
    assert.equal(e2.code, 422);
    assert.match(e2.message, /spec: Forbidden: pod updates may not change fields other than/);
    assert.match(e2.message, /ephemeralContainers/);
  });

  test('a pod holding ephemeral containers still takes ordinary updates through pods', () => {
    const stored = createPod('later');
    const next = structuredClone(stored);
    next.spec!.ephemeralContainers = [{ name: 'dbg', image: 'busybox' }];
    const withOne = sub.updateIn('pods', 'default', 'later', next, false) as PodObj;
    const relabelled = structuredClone(withOne);
    relabelled.metadata.labels = { app: 'relabelled' };
    const out = registry.updateIn('pods', 'default', 'later', relabelled, false) as PodObj;
    assert.deepEqual(out.metadata.labels, { app: 'relabelled' });
    assert.equal(out.spec?.ephemeralContainers?.length, 1);
  });
});

describe('dropNonEphemeralContainerUpdates', () => {
  test('an absent list in the write means none (not the stored ones)', () => {
    const old = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', finalizers: ['x/y'] },
      spec: { containers: [], ephemeralContainers: [{ name: 'd', image: 'busybox' }] },
    } as KubeObject;
    const next = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } as KubeObject;
    dropNonEphemeralContainerUpdates(next, old);
    assert.deepEqual(next.spec, { containers: [] });
    assert.deepEqual(next.metadata.finalizers, ['x/y']);
  });
});
