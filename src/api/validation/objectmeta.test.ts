import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { formatFieldError } from './field.js';
import { selectorMatches, validateAnnotations, validateLabelSelector } from './labels.js';
import { nameIsDNSSubdomain, validateNamespaceName } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';

const msgs = (errs: readonly Parameters<typeof formatFieldError>[0][]): string[] =>
  errs.map(formatFieldError);

describe('validateObjectMeta', () => {
  const cases: [string, ObjectMeta, boolean, string[]][] = [
    ['valid namespaced', { name: 'web', namespace: 'default' }, true, []],
    [
      'no name',
      { namespace: 'default' },
      true,
      ['metadata.name: Required value: name or generateName is required'],
    ],
    ['no namespace', { name: 'web' }, true, ['metadata.namespace: Required value']],
    [
      'namespace on cluster kind',
      { name: 'n1', namespace: 'x' },
      false,
      ['metadata.namespace: Forbidden: not allowed on this type'],
    ],
    [
      'bad name',
      { name: 'Web', namespace: 'default' },
      true,
      [
        `metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'generateName may end in a dash',
      { generateName: 'web-', name: 'web-x7k2p', namespace: 'default' },
      true,
      [],
    ],
    [
      'bad label key and value',
      { name: 'web', namespace: 'default', labels: { 'a/b/c': 'ok', app: 'bad value' } },
      true,
      [
        `metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
        `metadata.labels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      'two controllers',
      {
        name: 'web',
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
        ],
      },
      true,
      [
        // The composite value is printed by field.ts's goSyntax (upstream prints []v1.OwnerReference{...}).
        'metadata.ownerReferences: Invalid value: []interface {}{{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true}, {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}}: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
      ],
    ],
    [
      'owner without uid',
      {
        name: 'web',
        namespace: 'default',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '' }],
      },
      true,
      ['metadata.ownerReferences.uid: Invalid value: "": must not be empty'],
    ],
    [
      'orphan and foreground',
      { name: 'web', namespace: 'default', finalizers: ['orphan', 'foregroundDeletion'] },
      true,
      [
        'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
      ],
    ],
    [
      'negative generation',
      { name: 'web', namespace: 'default', generation: -1 },
      true,
      ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    ],
  ];
  for (const [name, meta, namespaced, want] of cases) {
    test(name, () => assert.deepEqual(msgs(validateObjectMeta(meta, namespaced, nameIsDNSSubdomain)), want));
  }
  test('namespace names are labels', () => {
    assert.deepEqual(msgs(validateObjectMeta({ name: 'a.b' }, false, validateNamespaceName)), [
      'metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
  });
});

describe('annotations', () => {
  test('256 KiB total', () => {
    assert.deepEqual(msgs(validateAnnotations({ a: 'x'.repeat(262143) }, 'metadata.annotations')), []);
    assert.deepEqual(msgs(validateAnnotations({ a: 'x'.repeat(262144) }, 'metadata.annotations')), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });
  test('keys are case-insensitive qualified names', () => {
    assert.deepEqual(msgs(validateAnnotations({ 'Example.COM/Key': 'v' }, 'metadata.annotations')), []);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '5',
    creationTimestamp: '2024-01-01T00:00:00Z',
  };
  test('unchanged identity passes', () => assert.deepEqual(validateObjectMetaUpdate({ ...old }, old), []));
  test('identity fields are immutable', () => {
    assert.deepEqual(
      msgs(
        validateObjectMetaUpdate(
          { ...old, name: 'web2', uid: 'u2', creationTimestamp: '2025-01-01T00:00:00Z' },
          old,
        ),
      ),
      [
        'metadata.name: Invalid value: "web2": field is immutable',
        'metadata.uid: Invalid value: "u2": field is immutable',
        'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
      ],
    );
  });
  test('resourceVersion is required', () => {
    assert.deepEqual(msgs(validateObjectMetaUpdate({ ...old, resourceVersion: '' }, old)), [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    ]);
  });
  test('no new finalizers while deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', finalizers: ['a.io/x'] };
    assert.deepEqual(
      msgs(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting)),
      [
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
      ],
    );
  });
});

describe('label selectors', () => {
  test('requirements', () => {
    const errs = validateLabelSelector(
      {
        matchExpressions: [
          { key: 'app', operator: 'In', values: [] },
          { key: 'tier', operator: 'Exists', values: ['x'] },
          { key: 'env', operator: 'Like' },
        ],
      },
      {},
      'spec.selector',
    );
    assert.deepEqual(msgs(errs), [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Like": not a valid selector operator',
    ]);
  });
  test('matching', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
    };
    assert.equal(selectorMatches(sel, { app: 'web' }), true);
    assert.equal(selectorMatches(sel, { app: 'web', tier: 'db' }), false);
    assert.equal(selectorMatches(sel, { app: 'api' }), false);
  });
});
