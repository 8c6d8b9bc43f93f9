import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SourceError } from '../errors.js';
import { silentLogger } from '../log.js';
import { Mapper } from '../mapping/mapper.js';
import type { SourceReader } from '../source/source-reader.js';
import { Collector } from './collector.js';

/** A SourceReader whose answers the test scripts; counts reads. */
class ScriptedReader implements SourceReader {
  readonly location = 'scripted';
  reads = 0;
  next: () => Promise<string> = async () => 'requests_total 1\n';
  read(): Promise<string> {
    this.reads++;
    return this.next();
  }
  close(): void {}
}

function collector(reader: SourceReader, clock: { t: number }, cacheMs = 1000): Collector {
  const mapper = new Mapper({
    rules: [],
    prefix: 'legacy_',
    unmapped: 'keep',
    reserved: new Set(['legacy_up']),
  });
  return new Collector({
    reader,
    format: 'auto',
    mapper,
    selfPrefix: 'legacy_',
    cacheMs,
    timeoutMs: 100,
    logger: silentLogger,
    now: () => clock.t,
  });
}

describe('Collector', () => {
  test('concurrent scrapes share one read; the cache holds for cacheMs', async () => {
    const reader = new ScriptedReader();
    const clock = { t: 0 };
    const c = collector(reader, clock);
    const snaps = await Promise.all(Array.from({ length: 10 }, () => c.snapshot()));
    assert.equal(reader.reads, 1);
    assert.ok(snaps.every((s) => s === snaps[0]));
    clock.t = 999;
    await c.snapshot();
    assert.equal(reader.reads, 1);
    clock.t = 1000;
    await c.snapshot();
    assert.equal(reader.reads, 2);
  });

  test('a failed read gives up 0, no source samples, and the reason counted', async () => {
    const reader = new ScriptedReader();
    const clock = { t: 0 };
    const c = collector(reader, clock, 0);
    assert.match((await c.snapshot()).body('text'), /^legacy_requests_total 1$/m);
    reader.next = () => Promise.reject(new SourceError('timeout', 'slow'));
    const snap = await c.snapshot();
    const body = snap.body('text');
    assert.equal(snap.up, false);
    assert.match(body, /^legacy_up 0$/m);
    assert.doesNotMatch(body, /^legacy_requests_total /m);
    assert.match(body, /^legacy_source_errors_total\{reason="timeout"\} 1$/m);
    assert.match(snap.body('openmetrics'), /# EOF\n$/);
  });
});
