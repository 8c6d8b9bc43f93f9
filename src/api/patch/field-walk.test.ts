import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pathString } from './field-set.js';
import { FieldWalker } from './field-walk.js';
import { schemaFor } from './merge-schema.js';

const pod = new FieldWalker(schemaFor({ group: '', kind: 'Pod' }));
const paths = (s: { paths(): readonly (readonly string[])[] }) => s.paths().map(pathString);

describe('FieldWalker', () => {
  test('toFieldSet: leaves, empty maps, keyed items, set items, atomic lists and maps', () => {
    const set = pod.toFieldSet(
      {
        metadata: { finalizers: ['a'], annotations: {} },
        spec: {
          nodeSelector: { disk: 'ssd' },
          containers: [{ name: 'app', args: ['x'], resources: {} }],
        },
      },
      true,
    );
    assert.deepEqual(paths(set), [
      '.metadata.annotations',
      '.metadata.finalizers[="a"]',
      '.spec.containers[name="app"]',
      '.spec.containers[name="app"].args',
      '.spec.containers[name="app"].name',
      '.spec.containers[name="app"].resources',
      '.spec.nodeSelector',
    ]);
  });

  test('compare: added maps are members, modified leaves, removed items', () => {
    const cmp = pod.compareObjects(
      { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b' }] } },
      { metadata: { labels: { x: 'y' } }, spec: { containers: [{ name: 'a', image: '2' }] } },
    );
    assert.deepEqual(paths(cmp.added), ['.metadata', '.metadata.labels', '.metadata.labels.x']);
    assert.deepEqual(paths(cmp.modified), ['.spec.containers[name="a"].image']);
    assert.deepEqual(paths(cmp.removed), ['.spec.containers[name="b"]', '.spec.containers[name="b"].name']);
  });

  test('lists whose items cannot be keyed are compared as one value', () => {
    const cmp = pod.compareObjects(
      { spec: { containers: [{ image: '1' }] } },
      { spec: { containers: [{ image: '2' }] } },
    );
    assert.deepEqual(paths(cmp.modified), ['.spec.containers']);
  });
});
