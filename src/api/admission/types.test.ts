import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ApiError } from '../errors.js';
import { type AdmissionTestRegistry, openAdmissionRegistry, podWith } from './testing/registry.js';
import {
  type AdmissionAttributes,
  type AdmissionPlugin,
  admissionForbidden,
  aggregateMessages,
} from './types.js';

describe('admission seam', () => {
  let t: AdmissionTestRegistry;
  afterEach(() => t.close());

  test('create: admit after defaulting, validation after admit, validate last; attributes', () => {
    const seen: string[] = [];
    let attrs: AdmissionAttributes | undefined;
    const plugin: AdmissionPlugin = {
      name: 'Probe',
      admit(a) {
        if (a.resource.resource !== 'pods') return;
        // Defaulting ran: imagePullPolicy is set.
        seen.push(
          `admit:${(a.object.spec as { containers: { imagePullPolicy?: string }[] }).containers[0]!.imagePullPolicy}`,
        );
        // A mutation that validation must then see and refuse.
        if (a.object.metadata.name === 'bad') (a.object.spec as { containers: unknown[] }).containers = [];
      },
      validate(a) {
        if (a.resource.resource !== 'pods') return;
        seen.push('validate');
        attrs = a;
      },
    };
    t = openAdmissionRegistry([plugin]);
    t.registry.create('pods', podWith('p', { app: undefined }));
    assert.deepEqual(seen, ['admit:Always', 'validate']);
    assert.equal(attrs?.operation, 'CREATE');
    assert.equal(attrs?.namespace, 'default');
    assert.equal(attrs?.name, 'p');
    assert.equal(attrs?.subresource, '');
    assert.equal(attrs?.oldObject, undefined);
    assert.equal(attrs?.dryRun, false);
    seen.length = 0;
    assert.throws(() => t.registry.create('pods', podWith('bad', { app: undefined })), { code: 422 });
    assert.deepEqual(seen, ['admit:Always'], 'validating plugins do not run for an invalid object');
  });

  test('update and status update carry the old object and the subresource', () => {
    const ops: string[] = [];
    t = openAdmissionRegistry([
      {
        name: 'Probe',
        validate: (a) => {
          if (a.resource.resource === 'pods')
            ops.push(`${a.operation}:${a.subresource}:${a.oldObject?.metadata.name}`);
        },
      },
    ]);
    const pod = t.registry.create('pods', podWith('p', { app: undefined }));
    t.registry.update('pods', { ...pod, metadata: { ...pod.metadata, labels: { a: 'b' } } });
    const cur = t.registry.get('pods', 'default', 'p')!;
    t.registry.updateStatus('pods', { ...cur, status: { ...(cur.status as object), phase: 'Running' } });
    assert.deepEqual(ops, ['CREATE::undefined', 'UPDATE::p', 'UPDATE:status:p']);
  });

  test('dry run runs admission and writes nothing; a refusal is upstream Forbidden', () => {
    const dry: boolean[] = [];
    t = openAdmissionRegistry([
      {
        name: 'Deny',
        validate: (a) => {
          if (a.resource.resource !== 'configmaps') return;
          dry.push(a.dryRun);
          if (a.object.metadata.name === 'no') throw admissionForbidden(a, 'nope');
        },
      },
    ]);
    const cm = (name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default' },
    });
    t.registry.create('configmaps', cm('yes'), { dryRun: true });
    assert.deepEqual(dry, [true]);
    assert.equal(t.registry.get('configmaps', 'default', 'yes'), undefined);
    try {
      t.registry.create('configmaps', cm('no'));
      assert.fail('expected Forbidden');
    } catch (e) {
      const s = (e as ApiError).toStatus();
      assert.equal(s.code, 403);
      assert.equal(s.reason, 'Forbidden');
      assert.equal(s.message, 'configmaps "no" is forbidden: nope');
      assert.deepEqual(s.details, { name: 'no', kind: 'configmaps' });
    }
    assert.equal(t.registry.get('configmaps', 'default', 'no'), undefined);
  });

  test('aggregateMessages: one alone, several deduplicated in brackets', () => {
    assert.equal(aggregateMessages(['a']), 'a');
    assert.equal(aggregateMessages(['a', 'b', 'a']), '[a, b]');
  });
});
