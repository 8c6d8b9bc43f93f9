import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Batcher, batchRecords } from './batch.js';

test('Batcher hands its filled buffer over, reuses a released body, never one still lent out', () => {
  const b = new Batcher(2, 1024);
  b.add('{"n":1}', 1, 'f1', 10);
  b.add('{"n":2}', 2, 'f1', 20);
  const [first] = b.takeReady();
  b.add('{"n":3}', 3, 'f1', 30);
  b.cut();
  const [second] = b.takeReady();
  assert.notEqual(second!.body.buffer, first!.body.buffer, 'a lent body is not filled again');
  assert.deepEqual(batchRecords(first!), ['{"n":1}', '{"n":2}']);
  b.release(first!.body);
  b.release(first!.body); // a second release is ignored
  b.release(Buffer.alloc(1024)); // so is a buffer the Batcher did not lend
  // The buffer being filled when first was released becomes the next body; the one after that
  // is filled in first's released buffer.
  for (const n of [4, 5, 6]) {
    b.add(`{"n":${n}}`, n, 'f1', n * 10);
    b.cut();
  }
  const [third, fourth, fifth] = b.takeReady();
  assert.notEqual(third!.body.buffer, first!.body.buffer);
  assert.equal(fourth!.body.buffer, first!.body.buffer, 'the released body is reused');
  assert.notEqual(fifth!.body.buffer, first!.body.buffer, 'released once, reused once');
  assert.deepEqual(batchRecords(fourth!), ['{"n":5}']);
  assert.deepEqual(batchRecords(second!), ['{"n":3}']);
  b.stopPooling();
  b.release(fourth!.body);
  for (const n of [7, 8]) {
    b.add(`{"n":${n}}`, n, 'f1', n * 10);
    b.cut();
  }
  for (const later of b.takeReady()) {
    assert.notEqual(later.body.buffer, first!.body.buffer, 'no reuse after stopPooling');
  }
});

test('Batcher ships an oversized record whole and does not pool the grown buffer', () => {
  const b = new Batcher(10, 16);
  const big = `"${'x'.repeat(40)}"`;
  b.add('{"n":1}', 1, 'f1', 10);
  b.add(big, 2, 'f1', 60);
  const [small, oversized] = b.takeReady();
  assert.deepEqual(batchRecords(small!), ['{"n":1}']);
  assert.deepEqual(batchRecords(oversized!), [big]);
  b.release(oversized!.body); // not a pooled buffer: ignored
  b.add('{"n":3}', 3, 'f1', 70);
  b.cut();
  const [next] = b.takeReady();
  assert.notEqual(next!.body.buffer, oversized!.body.buffer);
  assert.equal(next!.body.length, 8);
  assert.deepEqual(next!.positions, new Map([['f1', 70]]));
});
