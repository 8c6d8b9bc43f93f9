import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyJsonMergePatch } from './json-merge-patch.js';
import { deepFreeze, expectApiError } from './testing/helpers.js';

describe('applyJsonMergePatch', () => {
  test('RFC 7386 appendix A examples', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, want] of cases) {
      assert.deepEqual(
        applyJsonMergePatch(deepFreeze(target), deepFreeze(patch)),
        want,
        JSON.stringify(patch),
      );
    }
  });

  test('kubectl scale and label bodies', () => {
    const deploy = deepFreeze({
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 1, paused: true },
    });
    assert.deepEqual(applyJsonMergePatch(deploy, { spec: { replicas: 3 } }), {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 3, paused: true },
    });
    assert.deepEqual(applyJsonMergePatch(deploy, { metadata: { labels: { app: null, tier: 'fe' } } }), {
      metadata: { name: 'web', labels: { tier: 'fe' } },
      spec: { replicas: 1, paused: true },
    });
  });

  test('an array patch replaces the document, pruning nulls inside its objects', () => {
    assert.deepEqual(applyJsonMergePatch({ a: 1 }, [{ x: null, y: 1 }, null]), [{ y: 1 }, null]);
  });

  test('a scalar or null patch is refused with 400 Invalid JSON Patch', () => {
    for (const p of [null, 5, 'x', true])
      expectApiError(() => applyJsonMergePatch({}, p), 400, 'Invalid JSON Patch');
  });

  test('an object patch value replacing a scalar keeps upstream null pruning', () => {
    assert.deepEqual(applyJsonMergePatch({ a: 1 }, { a: { b: null, c: 2 } }), { a: { c: 2 } });
    // Replacing a map with a non-map value keeps nulls inside that value (evanphx v4 behaviour).
    assert.deepEqual(applyJsonMergePatch({ a: { x: 1 } }, { a: [{ b: null }] }), { a: [{ b: null }] });
  });

  test('result shares nothing with the inputs, and __proto__ keys stay plain data', () => {
    const target = { a: { b: 1 } };
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "c": {"d": 1}}');
    const out = applyJsonMergePatch(target, patch) as Record<string, Record<string, unknown>>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.hasOwn(out, '__proto__'));
    out.c!.d = 2;
    assert.equal(patch.c.d, 1);
    out.a!.b = 2;
    assert.equal(target.a.b, 1);
  });

  test('deeply nested patches are refused with 400, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    expectApiError(() => applyJsonMergePatch({}, deep), 400, /maximum depth/);
  });
});
