/** Strategic merge patch on untrusted input: error codes and texts, and large inputs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { deepFreeze, expectApiError } from './testing/helpers.js';

const POD = { group: '', kind: 'Pod' };

const smp = (original: unknown, patch: unknown, kind = POD): unknown =>
  applyStrategicMergePatch(deepFreeze(original), deepFreeze(patch), kind);

describe('applyStrategicMergePatch: bad input', () => {
  test('body must be an object', () => {
    expectApiError(
      () => smp({}, [1]),
      400,
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
  });

  test('bad $patch values name the map', () => {
    expectApiError(
      () => smp({ spec: {} }, { spec: { $patch: 'bogus' } }),
      400,
      'unknown patch type: bogus in map: map[$patch:bogus] (at spec)',
    );
    expectApiError(
      () =>
        smp(
          { spec: { containers: [{ name: 'a' }] } },
          { spec: { containers: [{ name: 'a', $patch: 'merge' }] } },
        ),
      400,
      'merging lists cannot yet be specified in the patch (at spec.containers)',
    );
  });

  test('merge-list items without their key', () => {
    const err = expectApiError(
      () => smp({ spec: { containers: [{ name: 'a' }] } }, { spec: { containers: [{ image: 'x' }] } }),
      400,
      'map: map[image:x] does not contain declared merge key: name (at spec.containers)',
    );
    assert.equal(err.details?.causes?.[0]?.field, 'spec.containers');
  });

  test('wrong types where the schema declares a list are 422 naming the field', () => {
    const err = expectApiError(
      () => smp({ spec: { containers: [] } }, { spec: { containers: 'x' } }),
      422,
      ' "" is invalid: patch: Invalid value: "x": json: cannot unmarshal string into Go struct field .spec.containers of type list',
    );
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.details?.causes?.[1]?.field, 'spec.containers');
    expectApiError(() => smp({}, { spec: { containers: ['x'] } }), 422, /spec\.containers\[0\]/);
  });

  test('directive format errors are 400 with upstream texts', () => {
    expectApiError(
      () => smp({ spec: {} }, { spec: { $retainKeys: 'x' } }),
      400,
      'invalid patch format of retainKeys',
    );
    expectApiError(
      () => smp({ spec: {} }, { spec: { $retainKeys: ['a'], b: 1 } }),
      400,
      'invalid patch format of retainKeys',
    );
    expectApiError(
      () => smp({ metadata: {} }, { metadata: { $deleteFromPrimitiveListX: [] } }),
      400,
      'invalid patch format of primitive list',
    );
    expectApiError(
      () => smp({ spec: {} }, { spec: { $setElementOrderX: [] } }),
      400,
      'invalid patch format of setElementOrder list',
    );
    expectApiError(
      () =>
        smp(
          { spec: { containers: [{ name: 'a' }] } },
          { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b' }] } },
        ),
      400,
      /The order in patch list/,
    );
  });

  test('lists of lists are 422 with the generic message', () => {
    expectApiError(
      () => smp({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }),
      422,
      'the server rejected our request due to an error in our request',
    );
  });
});

describe('applyStrategicMergePatch: large lists', () => {
  test('20000 keyed items merge, delete and reorder in well under a second each', () => {
    const n = 20000;
    const live = {
      spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'a' })) },
    };
    const patch = {
      spec: {
        containers: [
          ...Array.from({ length: n - 100 }, (_, i) => ({ name: `c${n - 1 - i}`, image: 'b' })),
          ...Array.from({ length: 100 }, (_, i) => ({ name: `c${i}`, $patch: 'delete' })),
        ],
      },
    };
    const started = Date.now();
    const out = applyStrategicMergePatch(live, patch, POD) as typeof live;
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.equal(out.spec.containers.length, n - 100);
    assert.deepEqual(out.spec.containers[0], { name: `c${n - 1}`, image: 'b' });
  });
});
