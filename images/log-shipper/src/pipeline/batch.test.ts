import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Batcher, batchRecords } from './batch.js';

test('Batcher reuses a released body and never one still lent out', () => {
  const b = new Batcher(2, 1024);
  b.add('{"n":1}', 1, 'f1', 10);
  b.add('{"n":2}', 2, 'f1', 20);
  const [first] = b.takeReady();
  b.add('{"n":3}', 3, 'f1', 30);
  b.cut();
  const [second] = b.takeReady();
  assert.notEqual(second!.body.buffer, first!.body.buffer, 'a lent body is not reused');
  assert.deepEqual(batchRecords(first!), ['{"n":1}', '{"n":2}']);
  b.release(first!.body);
  b.release(first!.body); // a second release is ignored
  b.release(Buffer.alloc(1024)); // so is a buffer the Batcher did not lend
  b.add('{"n":4}', 4, 'f1', 40);
  b.cut();
  b.add('{"n":5}', 5, 'f1', 50);
  b.cut();
  const [third, fourth] = b.takeReady();
  assert.equal(third!.body.buffer, first!.body.buffer, 'the released body is reused');
  assert.notEqual(fourth!.body.buffer, first!.body.buffer, 'released once, reused once');
  assert.deepEqual(batchRecords(third!), ['{"n":4}']);
  assert.deepEqual(batchRecords(second!), ['{"n":3}']);
  b.stopPooling();
  b.release(third!.body);
  b.add('{"n":6}', 6, 'f1', 60);
  b.cut();
  assert.notEqual(b.takeReady()[0]!.body.buffer, third!.body.buffer, 'no reuse after stopPooling');
});
