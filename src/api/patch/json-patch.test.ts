import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyJsonPatch, JSON_PATCH_REJECTED } from './json-patch.js';
import { deepFreeze, expectApiError } from './testing/helpers.js';

/** Asserts the op list fails with upstream's 422 and that the library text (the cause) is `why`. */
function rejects(doc: unknown, ops: unknown, why: string): void {
  const err = expectApiError(
    () => applyJsonPatch(deepFreeze(doc), deepFreeze(ops)),
    422,
    JSON_PATCH_REJECTED,
  );
  assert.equal(err.reason, 'Invalid');
  assert.equal((err.cause as Error).message, why);
}

describe('applyJsonPatch', () => {
  const doc = deepFreeze({ a: { b: 1, 'x/y': 2, 'm~n': 3 }, l: [1, 2, 3] });

  test('add, remove, replace, move, copy, test', () => {
    assert.deepEqual(
      applyJsonPatch(doc, [
        { op: 'add', path: '/a/c', value: { d: true } },
        { op: 'remove', path: '/a/b' },
        { op: 'replace', path: '/l/0', value: 9 },
        { op: 'move', from: '/a/c', path: '/moved' },
        { op: 'copy', from: '/l', path: '/a/copy' },
        { op: 'test', path: '/moved', value: { d: true } },
      ]),
      { a: { 'x/y': 2, 'm~n': 3, copy: [9, 2, 3] }, l: [9, 2, 3], moved: { d: true } },
    );
  });

  test('JSON pointer escapes ~1 and ~0', () => {
    assert.deepEqual(
      applyJsonPatch(doc, [
        { op: 'remove', path: '/a/x~1y' },
        { op: 'replace', path: '/a/m~0n', value: 4 },
      ]),
      { a: { b: 1, 'm~n': 4 }, l: [1, 2, 3] },
    );
  });

  test('array insertion, `-` append and negative indices', () => {
    assert.deepEqual(
      applyJsonPatch({ l: [1, 2] }, [
        { op: 'add', path: '/l/0', value: 0 },
        { op: 'add', path: '/l/-', value: 3 },
        { op: 'add', path: '/l/4', value: 4 },
        { op: 'remove', path: '/l/-1' },
      ]),
      { l: [0, 1, 2, 3] },
    );
  });

  test('kubectl rollout undo: replace the template and the revision annotation', () => {
    const deploy = deepFreeze({
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
    });
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
    };
    const out = applyJsonPatch(deploy, [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ]);
    assert.deepEqual(out, {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { template },
    });
  });

  test('upstream v4 quirks: replace of a missing key adds it; replace root with a scalar is a no-op', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]), { a: 1, b: 2 });
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: 2 }]), { a: 1 });
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { z: 1 } }]), { z: 1 });
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'copy', from: '/nope', path: '/b' }]), {
      a: 1,
      b: null,
    });
  });

  test('moves within arrays; a path without a leading slash addresses the root (v4 quirk)', () => {
    assert.deepEqual(applyJsonPatch({ l: ['a', 'b', 'c'] }, [{ op: 'move', from: '/l/0', path: '/l/-' }]), {
      l: ['b', 'c', 'a'],
    });
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'add', path: 'x/zz', value: 2 }]), { a: 1, zz: 2 });
    assert.deepEqual(applyJsonPatch({ l: [1, 2] }, [{ op: 'replace', path: '/l/-1', value: 3 }]), {
      l: [1, 3],
    });
  });

  test('failed operations give 422 with the library text as cause', () => {
    rejects(doc, [{ op: 'test', path: '/a/b', value: 2 }], 'testing value /a/b failed: test failed');
    rejects(doc, [{ op: 'test', path: '', value: {} }], 'testing value  failed: test failed');
    rejects(
      doc,
      [{ op: 'remove', path: '/a/zz' }],
      "error in remove for path: '/a/zz': Unable to remove nonexistent key: zz: missing value",
    );
    rejects(
      doc,
      [{ op: 'add', path: '/q/r', value: 1 }],
      'add operation does not apply: doc is missing path: "/q/r": missing value',
    );
    rejects(
      doc,
      [{ op: 'add', path: '/l/7', value: 1 }],
      "error in add for path: '/l/7': Unable to access invalid index: 7: invalid index referenced",
    );
    rejects(
      doc,
      [{ op: 'add', path: '/l/x', value: 1 }],
      `error in add for path: '/l/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
    );
    rejects(
      doc,
      [{ op: 'replace', path: '/l/5', value: 1 }],
      'replace operation does not apply: doc is missing key: /l/5: missing value',
    );
    rejects(
      doc,
      [{ op: 'remove', path: '/l/3' }],
      "error in remove for path: '/l/3': Unable to access invalid index: 3: invalid index referenced",
    );
    rejects(
      doc,
      [{ op: 'move', from: '/a/none', path: '/b' }],
      "error in move for path: 'none': Unable to remove nonexistent key: none: missing value",
    );
    rejects(
      doc,
      [{ op: 'copy', path: '/b' }],
      'copy operation failed to decode from: operation, missing from field: missing value',
    );
    rejects(
      doc,
      [{ op: 'replace', value: 1 }],
      'replace operation failed to decode path: operation missing path field: missing value',
    );
    rejects(
      doc,
      [{ op: 'replace', path: 7 }],
      'replace operation failed to decode path: json: cannot unmarshal number into Go value of type string',
    );
    rejects(doc, [{ op: 'add', value: 1 }], 'add operation failed to decode path: missing value');
    rejects(doc, [{ op: 'bogus', path: '/a' }], 'Unexpected kind: bogus');
    rejects(doc, [{ path: '/a' }], 'Unexpected kind: unknown');
    rejects(doc, [null], 'Unexpected kind: unknown');
    rejects(
      doc,
      [{ op: 'test', path: '/a/b/c', value: 1 }],
      'test operation does not apply: is missing path: /a/b/c: missing value',
    );
  });

  test('malformed bodies are 400 with Go decoding messages; too many ops is 413', () => {
    expectApiError(
      () => applyJsonPatch(doc, { op: 'add' }),
      400,
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
    expectApiError(
      () => applyJsonPatch(doc, ['x']),
      400,
      'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    );
    const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a/b', value: 1 }));
    const err = expectApiError(
      () => applyJsonPatch(doc, many),
      413,
      'The allowed maximum operations in a JSON patch is 10000, got 10001',
    );
    assert.equal(err.reason, 'RequestEntityTooLarge');
    assert.deepEqual(applyJsonPatch(doc, null), doc);
  });

  test('copy blow-up is bounded', () => {
    const started = Date.now();
    rejects(
      {},
      [
        { op: 'add', path: '/s', value: 'x'.repeat(1 << 20) },
        ...Array.from({ length: 5 }, (_, i) => ({ op: 'copy', from: '/s', path: `/c${i}` })),
      ],
      'Unable to complete the copy, the accumulated size increase of copy is 3145734, exceeding the limit 3145728',
    );
    assert.ok(Date.now() - started < 2000);
  });

  test('inputs are not mutated and results are independent', () => {
    const value = { deep: { x: 1 } };
    const out = applyJsonPatch({}, [{ op: 'add', path: '/v', value }]) as { v: { deep: { x: number } } };
    out.v.deep.x = 2;
    assert.equal(value.deep.x, 1);
  });
});
