import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SinkError } from '../errors.js';
import { Stats } from '../metrics/stats.js';
import { type Batch, batchFromRecords, batchRecords } from '../pipeline/batch.js';
import { OutputQueue } from './output-queue.js';
import type { SendResult, Sink } from './sink.js';
import { Spool } from './spool.js';

/** A sink whose availability the test switches; records what it accepted, in order. */
class SwitchableSink implements Sink {
  readonly name = 'test';
  up = true;
  readonly accepted: string[] = [];
  async send(batch: Batch): Promise<SendResult> {
    await new Promise((r) => setImmediate(r));
    if (!this.up) throw new SinkError(true, 'down');
    this.accepted.push(...batchRecords(batch));
    return { rejected: 0 };
  }
  async close(): Promise<void> {}
}

const batch = (seq: number) => batchFromRecords(seq, [`{"n":${seq}}`], [seq]);

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('OutputQueue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-queue-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an outage spills to disk (safe at once), delivery resumes in order, backpressure when full', async () => {
    const sink = new SwitchableSink();
    const safe: number[] = [];
    const spool = new Spool(join(dir, 'q1'));
    const stats = new Stats().output('test');
    const q = new OutputQueue({
      sink,
      spool,
      buffer: { maxMemoryBatches: 2, maxDiskBytes: 3 * Spool.sizeOf(batch(1)) },
      retry: { initialBackoffMs: 5, maxBackoffMs: 20 },
      stats,
      onSafe: (seq) => safe.push(seq),
      log: () => {},
    });
    q.start();
    await q.enqueue(batch(1));
    await until(() => sink.accepted.length === 1);
    assert.deepEqual(safe, [1]);

    sink.up = false;
    await q.enqueue(batch(2));
    await until(() => stats.retries > 0);
    assert.equal(spool.count, 1, 'the failed batch went to disk');
    assert.deepEqual(safe, [1, 2], 'and is safe: the checkpoint may pass it');
    await q.enqueue(batch(3));
    await q.enqueue(batch(4));
    assert.equal(spool.count, 3);
    let fifthAccepted = false;
    const fifth = q.enqueue(batch(5)).then(() => {
      fifthAccepted = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(fifthAccepted, false, 'disk buffer full: enqueue waits (backpressure)');
    assert.equal(stats.up, false);

    sink.up = true;
    await fifth;
    await until(() => sink.accepted.length === 5);
    assert.deepEqual(sink.accepted, ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}']);
    assert.equal(spool.count, 0);
    assert.equal(stats.shipped, 5);
    await q.stop(100);
  });

  test('stop writes what memory still holds to disk, and a new queue delivers it', async () => {
    const sink = new SwitchableSink();
    sink.up = false;
    const spool = new Spool(join(dir, 'q2'));
    const cfg = {
      buffer: { maxMemoryBatches: 4, maxDiskBytes: 1024 * 1024 },
      retry: { initialBackoffMs: 1000, maxBackoffMs: 1000 },
      log: () => {},
    };
    const safe: number[] = [];
    const q = new OutputQueue({
      ...cfg,
      sink,
      spool,
      stats: new Stats().output('a'),
      onSafe: (s) => safe.push(s),
    });
    await q.enqueue(batch(1)); // not started: stays in memory
    await q.enqueue(batch(2));
    assert.deepEqual(safe, []);
    await q.stop(0);
    assert.deepEqual(safe, [1, 2]);
    sink.up = true;
    const q2 = new OutputQueue({
      ...cfg,
      sink,
      spool: new Spool(join(dir, 'q2')),
      stats: new Stats().output('b'),
      onSafe: () => {},
    });
    q2.start();
    await until(() => sink.accepted.length === 2);
    assert.deepEqual(sink.accepted, ['{"n":1}', '{"n":2}']);
    await q2.stop(100);
  });

  test('a non-retryable rejection is counted and skipped, not retried forever', async () => {
    const sink: Sink = {
      name: 'bad',
      send: async () => {
        throw new SinkError(false, 'HTTP 400');
      },
      close: async () => {},
    };
    const stats = new Stats().output('bad');
    const safe: number[] = [];
    const q = new OutputQueue({
      sink,
      spool: new Spool(join(dir, 'q3')),
      buffer: { maxMemoryBatches: 2, maxDiskBytes: 1024 * 1024 },
      retry: { initialBackoffMs: 5, maxBackoffMs: 5 },
      stats,
      onSafe: (s) => safe.push(s),
      log: () => {},
    });
    q.start();
    await q.enqueue(batch(7));
    await until(() => safe.length === 1);
    assert.equal(stats.rejected, 1);
    assert.equal(stats.retries, 0);
    await q.stop(10);
  });
});
