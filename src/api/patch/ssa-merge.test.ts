import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FieldSet, fieldElement, keyElement } from './field-set.js';
import { FieldWalker } from './field-walk.js';
import { schemaFor } from './merge-schema.js';
import { mergeApplied, removeFields } from './ssa-merge.js';
import { deepFreeze } from './testing/helpers.js';

const pod = new FieldWalker(schemaFor({ group: '', kind: 'Pod' }));
const names = (v: unknown): string[] =>
  (v as { spec: { containers: { name: string }[] } }).spec.containers.map((c) => c.name);
const containers = (...n: string[]) => ({ spec: { containers: n.map((name) => ({ name })) } });

describe('mergeApplied', () => {
  test('keyed lists keep live order and follow applied order for shared items', () => {
    assert.deepEqual(
      names(mergeApplied(pod, deepFreeze(containers('a', 'b', 'c')), deepFreeze(containers('c', 'a')))),
      ['b', 'c', 'a'],
    );
    assert.deepEqual(names(mergeApplied(pod, containers('a', 'b'), containers('a', 'n', 'b'))), [
      'a',
      'n',
      'b',
    ]);
    assert.deepEqual(names(mergeApplied(pod, containers('a'), containers('z'))), ['a', 'z']);
  });

  test('items merge field by field; atomic lists and maps are replaced; nulls set nothing', () => {
    const live = {
      spec: {
        nodeSelector: { a: '1' },
        containers: [{ name: 'a', image: '1', args: ['x', 'y'], env: [{ name: 'E', value: '1' }] }],
      },
    };
    const applied = {
      spec: {
        nodeSelector: { b: '2' },
        containers: [{ name: 'a', args: ['z'], env: [{ name: 'F', value: '2' }], x: null }],
      },
    };
    assert.deepEqual(mergeApplied(pod, deepFreeze(live), deepFreeze(applied)), {
      spec: {
        nodeSelector: { b: '2' },
        containers: [
          {
            name: 'a',
            image: '1',
            args: ['z'],
            env: [
              { name: 'E', value: '1' },
              { name: 'F', value: '2' },
            ],
          },
        ],
      },
    });
  });

  test('finalizers merge as a set', () => {
    assert.deepEqual(
      mergeApplied(pod, { metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c'] } }),
      {
        metadata: { finalizers: ['a', 'b', 'c'] },
      },
    );
  });
});

describe('removeFields', () => {
  test('removes members and maps emptied by the removal, keeps the rest', () => {
    const remove = new FieldSet();
    remove.insert([fieldElement('spec'), fieldElement('containers'), keyElement({ name: 'b' })]);
    remove.insert([fieldElement('metadata'), fieldElement('labels'), fieldElement('x')]);
    const out = removeFields(
      pod,
      deepFreeze({ metadata: { labels: { x: '1' }, name: 'p' }, ...containers('a', 'b') }),
      remove,
    );
    assert.deepEqual(out, { metadata: { name: 'p' }, ...containers('a') });
  });
});
