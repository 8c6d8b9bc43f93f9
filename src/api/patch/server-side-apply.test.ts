import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../types.js';
import { recordUpdateManagedFields, serverSideApply } from './server-side-apply.js';
import { deepFreeze, expectApiError } from './testing/helpers.js';

const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
const T0 = new Date('2026-11-25T08:00:13.456Z');
const T1 = new Date('2026-11-25T09:30:00.000Z');
const opts = (manager = 'kubectl', force = false, now = T0) => ({ manager, force, now, kind: DEPLOYMENT });

const deployment = (extra: Record<string, unknown> = {}): KubeObject =>
  deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'dev', labels: { app: 'web', tier: 'fe' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
      },
      ...extra,
    },
  });

const entries = (obj: KubeObject) => obj.metadata.managedFields ?? [];

describe('serverSideApply', () => {
  test('create: the applier owns exactly what it sent, in upstream FieldsV1 encoding', () => {
    const out = serverSideApply(undefined, deployment(), opts());
    assert.equal(out.spec && (out.spec as { replicas: number }).replicas, 2);
    assert.deepEqual(entries(out), [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-11-25T08:00:13Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"app"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': {
                      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  test('re-apply removes what the applier dropped, keeps what others own', () => {
    const v1 = serverSideApply(undefined, deployment(), opts());
    // Another manager (kubectl label) adds a label it then owns.
    const labelled = structuredClone(v1);
    labelled.metadata.labels = { ...labelled.metadata.labels, owner: 'ops' };
    recordUpdateManagedFields(v1, labelled, 'kubectl-label', T0);
    const applied = structuredClone(deployment()) as KubeObject;
    applied.metadata.labels = { app: 'web' };
    const v2 = serverSideApply(deepFreeze(labelled), deepFreeze(applied), opts('kubectl', false, T1));
    assert.deepEqual(v2.metadata.labels, { app: 'web', owner: 'ops' });
    const apply = entries(v2).find((e) => e.manager === 'kubectl')!;
    assert.equal(apply.time, '2026-11-25T09:30:00Z');
    assert.deepEqual((apply.fieldsV1 as Record<string, unknown>)['f:metadata'], {
      'f:labels': { 'f:app': {} },
    });
  });

  test('a field another applier also owns survives when one applier drops it', () => {
    const a = serverSideApply(undefined, deployment(), opts('a'));
    const shared = structuredClone(deployment()) as KubeObject;
    shared.metadata.labels = { tier: 'fe' };
    shared.spec = {};
    const b = serverSideApply(a, shared, opts('b'));
    const dropped = structuredClone(deployment()) as KubeObject;
    dropped.metadata.labels = { app: 'web' };
    const c = serverSideApply(b, dropped, opts('a'));
    assert.deepEqual(c.metadata.labels, { app: 'web', tier: 'fe' });
    const again = serverSideApply(c, { ...shared, metadata: { name: 'web' } } as KubeObject, opts('b'));
    assert.deepEqual(again.metadata.labels, { app: 'web' });
  });

  test('dropping a container from the configuration deletes it', () => {
    const two = structuredClone(deployment()) as KubeObject;
    (two.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers.push({
      name: 'side',
      image: 'busybox',
    });
    const v1 = serverSideApply(undefined, two, opts());
    const v2 = serverSideApply(v1, deployment(), opts());
    const containers = (v2.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec
      .containers;
    assert.deepEqual(
      containers.map((c) => c.name),
      ['app'],
    );
  });

  test('changing a field another manager owns is a 409 naming manager and path', () => {
    const created = structuredClone(deployment()) as KubeObject;
    recordUpdateManagedFields(undefined, created, 'kubectl-client-side-apply', T0);
    const applied = deployment({ replicas: 3 });
    const err = expectApiError(
      () => serverSideApply(deepFreeze(created), applied, opts()),
      409,
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    assert.equal(err.reason, 'Conflict');
    assert.deepEqual(err.details?.causes, [
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-client-side-apply" using apps/v1',
        field: '.spec.replicas',
      },
    ]);
  });

  test('several conflicts are listed per manager', () => {
    const created = structuredClone(deployment()) as KubeObject;
    recordUpdateManagedFields(undefined, created, 'kubectl-client-side-apply', T0);
    const applied = structuredClone(deployment({ replicas: 3 })) as KubeObject;
    applied.metadata.labels = { app: 'web', tier: 'be' };
    expectApiError(
      () => serverSideApply(created, applied, opts()),
      409,
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .metadata.labels.tier\n- .spec.replicas',
    );
  });

  test('force takes the field over; the same value is shared without conflict', () => {
    const created = structuredClone(deployment()) as KubeObject;
    recordUpdateManagedFields(undefined, created, 'kubectl-client-side-apply', T0);
    const forced = serverSideApply(created, deployment({ replicas: 3 }), opts('kubectl', true));
    assert.equal((forced.spec as { replicas: number }).replicas, 3);
    const csa = entries(forced).find((e) => e.manager === 'kubectl-client-side-apply')!;
    const csaSpec = (csa.fieldsV1 as Record<string, Record<string, unknown> | undefined>)['f:spec'];
    assert.equal(csaSpec?.['f:replicas'], undefined);
    const shared = serverSideApply(created, deployment(), opts());
    assert.equal(entries(shared).length, 2);
  });

  test('an apply through the status subresource owns status only', () => {
    const live = serverSideApply(undefined, deployment(), opts());
    const applied = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      status: { replicas: 2 },
    } as KubeObject;
    const out = serverSideApply(live, applied, { ...opts('ctrl'), subresource: 'status' });
    const ctrl = entries(out).find((e) => e.manager === 'ctrl')!;
    assert.equal(ctrl.subresource, 'status');
    assert.deepEqual(ctrl.fieldsV1, { 'f:status': { 'f:replicas': {} } });
    assert.deepEqual(out.status, { replicas: 2 });
  });

  test('a no-op apply keeps the object and the entry time', () => {
    const v1 = serverSideApply(undefined, deployment(), opts());
    const v2 = serverSideApply(v1, deployment(), opts('kubectl', false, T1));
    assert.deepEqual(v2, v1);
  });

  test('bad configurations are 400', () => {
    expectApiError(
      () =>
        serverSideApply(
          undefined,
          { ...deployment(), metadata: { name: 'web', managedFields: [] } } as KubeObject,
          opts(),
        ),
      400,
      'metadata.managedFields must be nil',
    );
    const live = serverSideApply(undefined, deployment(), opts());
    expectApiError(
      () => serverSideApply(live, { ...deployment(), apiVersion: 'apps/v1beta2' } as KubeObject, opts()),
      400,
      'Incorrect version specified in apply patch. Specified patch version: apps/v1beta2, expected: apps/v1',
    );
    const noName = structuredClone(deployment()) as KubeObject;
    (noName.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers = [
      { image: 'x' },
    ];
    expectApiError(
      () => serverSideApply(undefined, noName, opts()),
      400,
      /\.spec\.template\.spec\.containers: element 0: .*omits key field "name"/,
    );
    expectApiError(() => serverSideApply(undefined, 'x' as unknown as KubeObject, opts()), 400);
  });
});

describe('recordUpdateManagedFields', () => {
  test('create records every field with upstream "." markers; status and identity fields are not tracked', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'dev', uid: 'u', resourceVersion: '5', labels: { a: 'b' } },
      data: { k: 'v' },
    } as KubeObject;
    recordUpdateManagedFields(undefined, cm, 'kubectl-create', T0);
    assert.deepEqual(cm.metadata.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-11-25T08:00:13Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } },
      },
    ]);
  });

  test('an update moves ownership of the changed field by list key', () => {
    const live = serverSideApply(undefined, deployment(), opts());
    const edited = structuredClone(live);
    (edited.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
      .containers[0]!.image = 'nginx:1.26';
    recordUpdateManagedFields(live, edited, 'kubectl-edit', T1);
    const edit = entries(edited).find((e) => e.manager === 'kubectl-edit')!;
    assert.deepEqual(edit.fieldsV1, {
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } } } } },
    });
    const apply = entries(edited).find((e) => e.manager === 'kubectl')!;
    const container = (apply.fieldsV1 as never)['f:spec']['f:template']['f:spec']['f:containers'][
      'k:{"name":"app"}'
    ];
    assert.equal(container['f:image'], undefined);
    assert.deepEqual(
      entries(edited).map((e) => e.operation),
      ['Apply', 'Update'],
    );
  });

  test('a write that changes nothing records nothing; [{}] resets; status writes track only status', () => {
    const live = serverSideApply(undefined, deployment(), opts());
    const same = structuredClone(live);
    recordUpdateManagedFields(live, same, 'other', T1);
    assert.deepEqual(same.metadata.managedFields, live.metadata.managedFields);
    const reset = structuredClone(live);
    reset.metadata.managedFields = [{}];
    recordUpdateManagedFields(live, reset, 'other', T1);
    assert.equal(reset.metadata.managedFields, undefined);
    const withStatus = structuredClone(live);
    withStatus.status = { replicas: 2 };
    recordUpdateManagedFields(live, withStatus, 'kube-controller-manager', T1, { subresource: 'status' });
    const ctrl = entries(withStatus).find((e) => e.manager === 'kube-controller-manager')!;
    assert.equal(ctrl.subresource, 'status');
    assert.deepEqual(ctrl.fieldsV1, { 'f:status': { 'f:replicas': {} } });
  });
});

describe('serverSideApply: generated manifests and large lists', () => {
  test('creationTimestamp: null and status: {} from a generated manifest change nothing', () => {
    const live = structuredClone(serverSideApply(undefined, deployment(), opts())) as KubeObject;
    live.metadata.creationTimestamp = '2026-11-25T08:00:13Z';
    live.status = { replicas: 2 };
    const generated = structuredClone(deployment()) as KubeObject;
    (generated.metadata as Record<string, unknown>).creationTimestamp = null;
    generated.status = {};
    const out = serverSideApply(deepFreeze(live), generated, opts('kubectl', false, T1));
    assert.equal(out.metadata.creationTimestamp, '2026-11-25T08:00:13Z');
    assert.deepEqual(out.status, { replicas: 2 });
  });

  test('5000 containers apply and re-apply quickly', () => {
    const big = structuredClone(deployment()) as KubeObject;
    const spec = big.spec as { template: { spec: { containers: unknown[] } } };
    spec.template.spec.containers = Array.from({ length: 5000 }, (_, i) => ({ name: `c${i}`, image: 'x' }));
    const started = Date.now();
    const v1 = serverSideApply(undefined, big, opts());
    spec.template.spec.containers.reverse();
    const v2 = serverSideApply(v1, big, opts());
    recordUpdateManagedFields(v1, structuredClone(v2), 'other', T1);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.equal((v2.spec as typeof spec).template.spec.containers.length, 5000);
  });
});

describe('objects without managed fields (upstream skip-non-applied)', () => {
  const untracked = (): KubeObject => structuredClone(deployment()) as KubeObject;

  test('an update of an untracked object records nothing; [] resets tracking', () => {
    const next = untracked();
    (next.spec as { replicas: number }).replicas = 5;
    recordUpdateManagedFields(untracked(), next, 'kubectl-edit', T0);
    assert.equal(next.metadata.managedFields, undefined);
    const live = serverSideApply(undefined, deployment(), opts());
    const reset = structuredClone(live);
    reset.metadata.managedFields = [];
    recordUpdateManagedFields(live, reset, 'x', T1);
    assert.equal(reset.metadata.managedFields, undefined);
  });

  test('the first apply to an untracked object conflicts with before-first-apply', () => {
    expectApiError(
      () => serverSideApply(untracked(), deployment({ replicas: 4 }), opts()),
      409,
      'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas',
    );
    const forced = serverSideApply(untracked(), deployment({ replicas: 4 }), opts('kubectl', true));
    assert.deepEqual(
      entries(forced).map((e) => e.manager),
      ['kubectl', 'before-first-apply'],
    );
  });

  test('a status write ignores managedFields sent with it', () => {
    const live = serverSideApply(undefined, deployment(), opts());
    const next = structuredClone(live);
    next.metadata.managedFields = [{}];
    next.status = { replicas: 1 };
    recordUpdateManagedFields(live, next, 'ctrl', T1, { subresource: 'status' });
    assert.deepEqual(
      entries(next).map((e) => e.manager),
      ['kubectl', 'ctrl'],
    );
  });
});
