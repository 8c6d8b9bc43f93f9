import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { defaultReplicaSet } from './defaults.js';
import { validateReplicaSet, validateReplicaSetUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

function rs(): ReplicaSet {
  const r: ReplicaSet = {
    metadata: { name: 'web-5d4f', namespace: 'default', resourceVersion: '1' },
    spec: {
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } },
    },
  };
  defaultReplicaSet(r);
  return r;
}

describe('ReplicaSet', () => {
  test('defaults replicas to 1 and defaults the template', () => {
    const r = rs();
    assert.equal(r.spec!.replicas, 1);
    assert.equal(r.spec!.template!.spec!.restartPolicy, 'Always');
    assert.equal(r.spec!.template!.spec!.containers[0]!.imagePullPolicy, 'IfNotPresent');
  });
  test('valid with a matchExpressions selector', () => assert.deepEqual(validateReplicaSet(rs()), []));
  test('selector mismatch and activeDeadlineSeconds', () => {
    const r = rs();
    r.spec!.template!.metadata!.labels = { app: 'db' };
    r.spec!.template!.spec!.activeDeadlineSeconds = 5;
    assert.deepEqual(msgs(validateReplicaSet(r)), [
      'spec.template.metadata.labels: Invalid value: {"app":"db"}: `selector` does not match template `labels`',
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
  });
  test('selector immutable on update', () => {
    const old = rs();
    const next = structuredClone(old);
    next.spec!.selector = { matchLabels: { app: 'web' } };
    assert.deepEqual(msgs(validateReplicaSetUpdate(next, old)), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web"}}: field is immutable',
    ]);
  });
});
