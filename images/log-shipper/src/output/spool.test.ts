import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { batchFromRecords, batchRecords } from '../pipeline/batch.js';
import { Spool } from './spool.js';

describe('Spool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-spool-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('keeps batches in order across a restart and removes them only when told', () => {
    const s = new Spool(dir, 1000);
    s.append(batchFromRecords(2, ['{"n":2}'], [2]));
    s.append(batchFromRecords(10, ['{"n":10}', '{"n":11}'], [10, 11]));
    writeFileSync(join(dir, 'junk.batch.tmp'), 'torn write');
    const again = new Spool(dir, 2000);
    assert.equal(again.count, 2);
    assert.ok(!readdirSync(dir).some((n) => n.endsWith('.tmp')), 'torn temporary files are removed');
    const head = again.peek()!;
    assert.deepEqual(batchRecords(head.batch), ['{"n":2}']);
    assert.deepEqual(head.batch.times, [2]);
    again.removeHead(head.name);
    const next = again.peek()!;
    assert.deepEqual(batchRecords(next.batch), ['{"n":10}', '{"n":11}']);
    again.replaceHead(next.name, batchFromRecords(10, ['{"n":11}'], [11]));
    assert.deepEqual(batchRecords(again.peek()!.batch), ['{"n":11}']);
    again.removeHead(next.name);
    assert.equal(again.count, 0);
    assert.equal(again.bytes, 0);
    assert.equal(again.peek(), null);
  });
});
