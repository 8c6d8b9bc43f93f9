import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SourceError } from '../errors.js';
import { silentLogger } from '../log.js';
import { Mapper } from '../mapping/mapper.js';
import type { SourceReader } from '../source/source-reader.js';
import { Collector, type Snapshot } from './collector.js';

/** A SourceReader whose answers the test scripts; counts reads. */
class ScriptedReader implements SourceReader {
  readonly location = 'scripted';
  reads = 0;
  next: () => Promise<string> = async () => 'requests_total 1\n';
  async read(): Promise<Buffer> {
    this.reads++;
    return Buffer.from(await this.next(), 'utf8');
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

  test("text, JSON and binary bodies; series objects are reused and carry each read's values", async () => {
    const reader = new ScriptedReader();
    const c = collector(reader, { t: 0 }, 0);
    const bodies = ['a_total 1\nb{k="v"} 2\n', 'a_total 3\nb{k="v"} 2\n', 'a_total 3\nb{k="v"} 4.5\n'];
    let first: Snapshot | undefined;
    for (const body of bodies) {
      reader.next = async () => body;
      const snap = await c.snapshot();
      first ??= snap;
      const [a, b] = body.split('\n').map((line) => line.split(' ')[1]);
      assert.match(snap.body('text'), new RegExp(`^legacy_a_total ${a}\n`, 'm'));
      assert.match(snap.body('openmetrics'), new RegExp(`^legacy_b\\{k="v"\\} ${b}\n`, 'm'));
      // The same series object every scrape: a scrape of known lines leaves no per-series garbage.
      assert.equal(snap.families[0]!.series[0], first.families[0]!.series[0]);
    }
    reader.next = async () => '{"j": {"x": 2}}';
    assert.match((await c.snapshot()).body('text'), /^legacy_j_x 2$/m);
    reader.next = async () => 'a_total 1\u0000';
    const binary = await c.snapshot();
    assert.equal(binary.up, false);
    assert.match(binary.body('text'), /^legacy_source_errors_total\{reason="unparsable"\} 1$/m);
  });

  test('a snapshot cannot be rendered in a format after a newer read overwrote its values', async () => {
    const reader = new ScriptedReader();
    const c = collector(reader, { t: 0 }, 0);
    const old = await c.snapshot();
    const text = old.body('text');
    await c.snapshot();
    assert.equal(old.body('text'), text, 'a format rendered before stays served');
    assert.throws(() => old.bodyBuffer('openmetrics'), /newer fetch/);
  });
});
