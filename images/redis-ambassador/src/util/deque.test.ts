import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Deque } from './deque.js';

test('Deque keeps FIFO order across compaction', () => {
  const d = new Deque<number>();
  let next = 0;
  for (let i = 0; i < 5000; i++) {
    d.push(i);
    if (i % 3 === 0) assert.equal(d.shift(), next++);
  }
  assert.equal(d.length, 5000 - next);
  assert.equal(d.peek(), next);
  const rest = d.drain();
  assert.equal(rest[0], next);
  assert.equal(rest.at(-1), 4999);
  assert.equal(d.length, 0);
  assert.equal(d.shift(), undefined);
});
