/**
 * Must show: with the source down, slow, failing, returning garbage or changing types between scrapes,
 * `legacy_up` and the error counters say so and the process keeps serving. One adapter process, with
 * the cache off so every scrape reads the source.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdapterProcess, sampleValue, scrape } from './helpers/adapter-process.js';
import { LegacyApp, SEED_STATS } from './helpers/legacy-app.js';

describe('source failures', () => {
  let app: LegacyApp;
  let adapter: AdapterProcess;
  let body = '';
  const value = (series: string): number | undefined => sampleValue(body, series);
  const read = async (): Promise<void> => {
    body = (await scrape(adapter.metricsUrl)).body;
  };

  before(async () => {
    app = await LegacyApp.start();
    adapter = await AdapterProcess.start([
      '--source',
      app.url,
      '--cache',
      '0',
      '--timeout',
      '300ms',
      '--max-bytes',
      '64KiB',
    ]);
  });
  after(async () => {
    await adapter?.stop();
    await app?.close();
  });

  test('healthy: up 1 and the stats', async () => {
    await read();
    assert.equal(value('legacy_up'), 1);
    assert.equal(value('legacy_requests_total'), 1241);
  });

  test('a value that changes type (number -> string) is dropped and counted; the rest still serves', async () => {
    app.behaviour = { kind: 'ok', body: SEED_STATS.replace('requests_total 1241', 'requests_total OK') };
    await read();
    assert.equal(value('legacy_up'), 1);
    assert.equal(value('legacy_requests_total'), undefined);
    assert.equal(value('legacy_response_time'), 0.25);
    // version 1.0.3 and last_error: none are non-numeric on every scrape; requests_total joined them.
    assert.equal(value('legacy_scrape_samples'), 5);
    const before = value('legacy_dropped_samples_total{reason="non_numeric"}') ?? 0;
    await read();
    assert.equal(value('legacy_dropped_samples_total{reason="non_numeric"}'), before + 3);
  });

  test('the source switching to JSON with a nested object where a number was', async () => {
    app.behaviour = {
      kind: 'ok',
      body: JSON.stringify({ requests_total: { GET: 5, POST: 2 }, response_time: 0.3 }),
    };
    await read();
    assert.equal(value('legacy_up'), 1);
    assert.equal(value('legacy_requests_total'), undefined);
    assert.equal(value('legacy_requests_total_GET'), 5);
    assert.equal(value('legacy_response_time'), 0.3);
  });

  test('garbage lines: up 0, unparsable counted, unparsed lines counted by reason', async () => {
    app.behaviour = { kind: 'ok', body: '<html><body>502 Bad Gateway</body></html>\n!!!\n%%%%\n' };
    await read();
    assert.equal(value('legacy_up'), 0);
    assert.equal(value('legacy_response_time'), undefined, 'no stale sample may be passed off as fresh');
    assert.equal(value('legacy_scrape_unparsed_lines{reason="syntax"}'), 3);
    assert.ok((value('legacy_source_errors_total{reason="unparsable"}') ?? 0) >= 1);
  });

  test('binary, empty and truncated-JSON bodies: up 0', async () => {
    for (const bad of ['\u0000\u0001\u0002binary', '', '{"requests_total": 12']) {
      app.behaviour = { kind: 'ok', body: bad };
      await read();
      assert.equal(value('legacy_up'), 0, JSON.stringify(bad));
    }
  });

  test('HTTP 500: up 0, http_status counted', async () => {
    app.behaviour = { kind: 'status', status: 500 };
    await read();
    assert.equal(value('legacy_up'), 0);
    assert.equal(value('legacy_source_errors_total{reason="http_status"}'), 1);
  });

  test('a body over --max-bytes: up 0, too_large counted', async () => {
    app.behaviour = { kind: 'ok', body: `padding ${'x'.repeat(70 * 1024)}\n` };
    await read();
    assert.equal(value('legacy_up'), 0);
    assert.equal(value('legacy_source_errors_total{reason="too_large"}'), 1);
  });

  test('slow source: the scrape still answers, within the timeout, with up 0 and timeout counted', async () => {
    app.behaviour = { kind: 'slow', body: SEED_STATS, delayMs: 2_000 };
    const started = Date.now();
    await read();
    const took = Date.now() - started;
    assert.ok(took < 1_500, `scrape took ${took} ms with a 300 ms source timeout`);
    assert.equal(value('legacy_up'), 0);
    assert.equal(value('legacy_source_errors_total{reason="timeout"}'), 1);
    assert.ok((value('legacy_scrape_duration_seconds') ?? 0) >= 0.29);
  });

  test('recovers: up 1 again', async () => {
    app.behaviour = { kind: 'ok', body: SEED_STATS };
    await read();
    assert.equal(value('legacy_up'), 1);
    assert.equal(value('legacy_requests_total'), 1241);
  });

  test('source down (connection refused): up 0, connect counted, process keeps serving', async () => {
    await app.close();
    await read();
    assert.equal(value('legacy_up'), 0);
    assert.equal(value('legacy_source_errors_total{reason="connect"}'), 1);
    assert.equal(value('legacy_requests_total'), undefined);
    await read();
    assert.equal(value('legacy_source_errors_total{reason="connect"}'), 2);
    assert.equal(adapter.child.exitCode, null);
    assert.equal(
      (adapter.stderr.match(/"source down"/g) ?? []).length,
      2,
      'logs transitions, not every failed scrape',
    );
  });
});
