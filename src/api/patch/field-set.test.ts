import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../errors.js';
import { FieldSet, fieldElement, keyElement, pathString, valueElement } from './field-set.js';

const f = fieldElement;

describe('FieldSet', () => {
  test('FieldsV1 encoding with "." for members that have children, elements in upstream order', () => {
    const s = new FieldSet();
    s.insert([f('spec'), f('containers'), keyElement({ name: 'app' })]);
    s.insert([f('spec'), f('containers'), keyElement({ name: 'app' }), f('image')]);
    s.insert([f('metadata'), f('finalizers'), valueElement('x')]);
    s.insert([f('spec'), f('replicas')]);
    assert.deepEqual(s.toFieldsV1(), {
      'f:metadata': { 'f:finalizers': { 'v:"x"': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } }, 'f:replicas': {} },
    });
    assert.deepEqual(Object.keys(s.toFieldsV1()['f:spec'] as object), ['f:containers', 'f:replicas']);
    assert.deepEqual(FieldSet.fromFieldsV1(s.toFieldsV1()).toFieldsV1(), s.toFieldsV1());
  });

  test('key elements sort their fields; paths print as upstream', () => {
    assert.equal(
      keyElement({ protocol: 'TCP', containerPort: 80 }),
      'k:{"containerPort":80,"protocol":"TCP"}',
    );
    assert.equal(
      pathString([f('spec'), f('ports'), keyElement({ port: 80, protocol: 'TCP' }), f('targetPort')]),
      '.spec.ports[port=80,protocol="TCP"].targetPort',
    );
    assert.equal(
      pathString([f('metadata'), f('finalizers'), valueElement('a')]),
      '.metadata.finalizers[="a"]',
    );
    assert.equal(pathString([f('x'), 'i:3']), '.x[3]');
  });

  test('union, difference, intersection, has, paths', () => {
    const a = new FieldSet();
    a.insert([f('a'), f('b')]);
    a.insert([f('a'), f('c')]);
    const b = new FieldSet();
    b.insert([f('a'), f('c')]);
    b.insert([f('d')]);
    assert.deepEqual(a.union(b).paths().map(pathString), ['.a.b', '.a.c', '.d']);
    assert.deepEqual(a.difference(b).paths().map(pathString), ['.a.b']);
    assert.deepEqual(a.intersection(b).paths().map(pathString), ['.a.c']);
    assert.ok(a.has([f('a'), f('b')]));
    assert.ok(!a.has([f('a')]));
    assert.ok(a.difference(a).isEmpty());
  });

  test('malformed FieldsV1 is a 400 naming the key', () => {
    assert.throws(
      () => FieldSet.fromFieldsV1({ 'x:y': {} }),
      (e: unknown) => e instanceof ApiError && e.code === 400 && /x:y/.test(e.message),
    );
    assert.throws(() => FieldSet.fromFieldsV1('nope'), ApiError);
    assert.throws(() => FieldSet.fromFieldsV1({ 'f:a': 1 }), ApiError);
  });
});
