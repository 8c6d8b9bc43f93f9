import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, itemKey, parseTtl } from './items.js';

test('item ids map to item:<id> keys; anything else is a 400 naming id', () => {
  assert.equal(itemKey('user:42.v1_a-b'), 'item:user:42.v1_a-b');
  for (const bad of ['', 'a b', 'x/y', 'é', 'a'.repeat(129)]) {
    assert.throws(
      () => itemKey(bad),
      (e: unknown) => e instanceof ApiError && e.status === 400 && e.field === 'id',
      JSON.stringify(bad),
    );
  }
});

test('ttl is optional, whole seconds from 1 to a year', () => {
  assert.equal(parseTtl(null), undefined);
  assert.equal(parseTtl('60'), 60);
  for (const bad of ['0', '-1', '1.5', 'abc', '31536001']) {
    assert.throws(
      () => parseTtl(bad),
      (e: unknown) => e instanceof ApiError && e.field === 'ttl',
      bad,
    );
  }
});
