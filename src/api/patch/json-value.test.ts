import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cloneJson, goValue, jsonEqual, setKey } from './json-value.js';

describe('json values', () => {
  test("goValue prints as Go's %v", () => {
    assert.equal(
      goValue({ name: 'a', $patch: 'delete', n: [1, 2.5, true, null] }),
      'map[$patch:delete n:[1 2.5 true <nil>] name:a]',
    );
    assert.equal(goValue(1e21), '1e+21');
    assert.equal(goValue(0.00001), '1e-05');
  });

  test('jsonEqual ignores key order; cloneJson copies deeply; setKey keeps __proto__ as data', () => {
    assert.ok(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
    assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!jsonEqual([1], { 0: 1 }));
    const src = { a: { b: [1] } };
    const copy = cloneJson(src);
    copy.a.b.push(2);
    assert.deepEqual(src, { a: { b: [1] } });
    const o: Record<string, unknown> = {};
    setKey(o, '__proto__', { polluted: true });
    assert.equal(Object.getPrototypeOf(o), Object.prototype);
    assert.deepEqual(Object.keys(o), ['__proto__']);
  });
});
