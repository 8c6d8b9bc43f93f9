import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IngressClass } from 'kubernetes-types/networking/v1';
import { formatFieldError } from '../../validation/field.js';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { ingressClassTable } from './table.js';
import { validateIngressClass, validateIngressClassUpdate } from './validation.js';

const ic = (spec: IngressClass['spec']): IngressClass => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'podbay' },
  spec,
});
const errors = (c: IngressClass) => validateIngressClass(c).map(formatFieldError);

describe('IngressClass validation', () => {
  test('valid', () => {
    assert.deepEqual(errors(ic({ controller: 'podbay.io/ingress' })), []);
    assert.deepEqual(
      errors(
        ic({
          controller: 'example.com/x',
          parameters: {
            apiGroup: 'k8s.example.com',
            kind: 'P',
            name: 'p',
            scope: 'Namespace',
            namespace: 'ns',
          },
        }),
      ),
      [],
    );
  });
  test('controller: required, a domain-prefixed path, at most 250 bytes', () => {
    assert.deepEqual(errors(ic({})), ['spec.controller: Required value']);
    assert.deepEqual(errors(ic({ controller: 'podbay' })), [
      'spec.controller: Invalid value: "podbay": must be a domain-prefixed path (such as "acme.io/foo")',
    ]);
    assert.deepEqual(errors(ic({ controller: 'podbay.io/a b' })), [
      `spec.controller: Invalid value: "a b": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`,
    ]);
    assert.deepEqual(errors(ic({ controller: `podbay.io/${'a'.repeat(250)}` })), [
      'spec.controller: Too long: may not be more than 250 bytes',
    ]);
  });
  test('parameters: kind, name, scope and namespace', () => {
    assert.deepEqual(errors(ic({ controller: 'a.io/b', parameters: { kind: '', name: 'x' } as never })), [
      'spec.parameters.kind: Required value',
      'spec.parameters.scope: Required value',
    ]);
    assert.deepEqual(
      errors(ic({ controller: 'a.io/b', parameters: { kind: 'K', name: 'x', scope: 'Namespace' } })),
      ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"],
    );
    assert.deepEqual(
      errors(
        ic({ controller: 'a.io/b', parameters: { kind: 'K', name: 'x', scope: 'Cluster', namespace: 'n' } }),
      ),
      ["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"],
    );
    assert.deepEqual(
      errors(ic({ controller: 'a.io/b', parameters: { kind: 'K', name: 'x', scope: 'Global' } })),
      ['spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"'],
    );
  });
  test('controller is immutable', () => {
    assert.deepEqual(
      validateIngressClassUpdate(ic({ controller: 'b.io/x' }), ic({ controller: 'a.io/x' })).map(
        formatFieldError,
      ),
      ['spec.controller: Invalid value: "b.io/x": field is immutable'],
    );
  });
});

describe('ingressClassTable', () => {
  test('columns and the Parameters cell', () => {
    assert.deepEqual(
      ingressClassTable.columns.map((c) => c.name),
      ['Name', 'Controller', 'Parameters', 'Age'],
    );
    assert.deepEqual(ingressClassTable.row(ic({ controller: 'podbay.io/ingress' }), NOW).slice(0, 3), [
      'podbay',
      'podbay.io/ingress',
      '<none>',
    ]);
    assert.equal(
      ingressClassTable.row(
        ic({
          controller: 'a.io/b',
          parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' },
        }),
        NOW,
      )[2],
      'IngressParameters.k8s.example.com/external-lb',
    );
  });
});
