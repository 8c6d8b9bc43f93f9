import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Schema } from '../registry/customresourcedefinitions/schema-validation.js';
import { formatFieldError } from '../validation/field.js';
import { customResourceTable } from './custom-resource-table.js';
import { evalJSONPath } from './jsonpath.js';
import { applyDefaults, prune, validateValue } from './schema.js';

const SCHEMA: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
        image: { type: 'string', minLength: 1, maxLength: 8 },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        mode: { type: 'string', enum: ['a', 'b'] },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', maxItems: 2, minItems: 1, items: { type: 'string' } },
        note: { type: 'string', nullable: true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

const errors = (spec: Record<string, unknown>) =>
  validateValue({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec }, SCHEMA).map(
    formatFieldError,
  );

describe('custom object validation (kube-openapi messages)', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', { image: 'nginx', replicas: 3, port: 'http', tags: ['a'], note: null, labels: { a: 'b' } }, []],
    ['required', {}, ['spec.image: Required value']],
    [
      'type',
      { image: 'x', replicas: '3' },
      ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
    ],
    [
      'minimum / maximum',
      { image: 'x', replicas: 0 },
      ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1'],
    ],
    [
      'maximum',
      { image: 'x', replicas: 11 },
      ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'],
    ],
    ['enum', { image: 'x', mode: 'c' }, ['spec.mode: Unsupported value: "c": supported values: "a", "b"']],
    [
      'pattern',
      { image: 'x', cronSpec: 'nope' },
      [
        'spec.cronSpec: Invalid value: "nope": spec.cronSpec in body should match \'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$\'',
      ],
    ],
    [
      'minLength',
      { image: '' },
      ['spec.image: Invalid value: "": spec.image in body should be at least 1 chars long'],
    ],
    ['maxLength', { image: 'too-long-image' }, ['spec.image: Too long: may not be more than 8 bytes']],
    [
      'maxItems',
      { image: 'x', tags: ['a', 'b', 'c'] },
      ['spec.tags: Too many: 3: must have at most 2 items'],
    ],
    [
      'minItems',
      { image: 'x', tags: [] },
      ['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items'],
    ],
    [
      'int-or-string',
      { image: 'x', port: true },
      ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer-or-string: "boolean"'],
    ],
    [
      'additionalProperties',
      { image: 'x', labels: { a: 1 } },
      ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"'],
    ],
    [
      'not nullable',
      { image: 'x', mode: null },
      ['spec.mode: Invalid value: "null": spec.mode in body must be of type string: "null"'],
    ],
  ];
  for (const [name, spec, want] of cases) test(name, () => assert.deepEqual(errors(spec), want));
});

describe('pruning and defaulting', () => {
  test('undeclared fields are pruned (and reported), preserved under x-kubernetes-preserve-unknown-fields', () => {
    const obj = {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'a', labels: { k: 'v' } },
      spec: { image: 'x', extra: 1, free: { any: { thing: true } }, tags: ['a'] },
      top: 1,
    };
    assert.deepEqual(prune(obj, SCHEMA), ['spec.extra', 'top']);
    assert.deepEqual(obj, {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'a', labels: { k: 'v' } },
      spec: { image: 'x', free: { any: { thing: true } }, tags: ['a'] },
    });
  });
  test('defaults fill missing fields of objects that exist', () => {
    const obj: Record<string, unknown> = { spec: { image: 'x' } };
    applyDefaults(obj, SCHEMA);
    assert.deepEqual(obj, { spec: { image: 'x', replicas: 1 } });
    const none: Record<string, unknown> = {};
    applyDefaults(none, SCHEMA);
    assert.deepEqual(none, {});
  });
});

describe('printer columns', () => {
  test('JSONPath fields, indices and filters', () => {
    const o = {
      status: {
        conditions: [
          { type: 'A', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
    };
    assert.equal(evalJSONPath(o, '.status.conditions[1].type'), 'Ready');
    assert.equal(evalJSONPath(o, '.status.conditions[?(@.type=="Ready")].status'), 'True');
    assert.equal(evalJSONPath(o, '.spec.missing'), undefined);
  });
  test('Name then the columns; Age by default; dates as ages; <none> when missing', () => {
    const now = new Date('2024-01-01T00:10:00Z');
    const obj = {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'a', creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: { replicas: 2 },
    };
    const plain = customResourceTable(undefined);
    assert.deepEqual(
      plain.columns.map((c) => c.name),
      ['Name', 'Age'],
    );
    assert.deepEqual(plain.row(obj, now), ['a', '10m']);
    const t = customResourceTable([
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 1 },
    ]);
    assert.deepEqual(t.row(obj, now), ['a', 2, '<none>']);
    assert.equal(t.columns[2]?.priority, 1);
    assert.equal(
      t.columns[1]?.description,
      'Custom resource definition column (in JSONPath format): .spec.replicas',
    );
  });
});
