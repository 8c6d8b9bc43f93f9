import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { formatLabelSelector, formatLabels, labelSelectorString } from './label-selector.js';

describe('formatLabels', () => {
  test('sorted k=v pairs; <none> when empty', () => {
    assert.equal(formatLabels({ tier: 'web', app: 'shop' }), 'app=shop,tier=web');
    assert.equal(formatLabels({ foo: 'bar' }), 'foo=bar');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
    assert.equal(formatLabels({ empty: '' }), 'empty=');
  });
});

describe('formatLabelSelector / labelSelectorString', () => {
  const cases: readonly [string, LabelSelector | undefined, string, string | undefined][] = [
    ['nil selector', undefined, '<none>', ''],
    ['empty selector', {}, '<none>', ''],
    ['matchLabels', { matchLabels: { foo: 'bar' } }, 'foo=bar', 'foo=bar'],
    ['sorted by key', { matchLabels: { b: '2', a: '1' } }, 'a=1,b=2', 'a=1,b=2'],
    [
      'every operator, values sorted',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['front', 'back'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      'app=web,canary,env notin (prod),!legacy,tier in (back,front)',
      'app=web,canary,env notin (prod),!legacy,tier in (back,front)',
    ],
    [
      'prefixed key',
      { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      'app.kubernetes.io/name=web',
      'app.kubernetes.io/name=web',
    ],
    [
      'unknown operator',
      { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      '<error>',
      undefined,
    ],
    [
      'In without values',
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      '<error>',
      undefined,
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      '<error>',
      undefined,
    ],
    ['invalid key', { matchLabels: { 'bad key': 'x' } }, '<error>', undefined],
    ['invalid value', { matchLabels: { a: 'no spaces' } }, '<error>', undefined],
  ];
  for (const [name, selector, formatted, plain] of cases) {
    test(name, () => {
      assert.equal(formatLabelSelector(selector), formatted);
      assert.equal(labelSelectorString(selector), plain);
    });
  }
});
