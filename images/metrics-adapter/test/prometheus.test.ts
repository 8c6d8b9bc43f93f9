/**
 * Must show: a real Prometheus server (Debian's package) scraping the adapter records the expected
 * values, sees a change within a scrape or two (no 30 s staleness), and, when the app goes down,
 * records `legacy_up 0` and no longer has a current `legacy_requests_total` (no stale samples).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdapterProcess } from './helpers/adapter-process.js';
import { LegacyApp, SEED_STATS } from './helpers/legacy-app.js';
import { freePort, ServerProcess, tempDir, waitFor } from './helpers/ports-and-dirs.js';

const PROMETHEUS = '/usr/bin/prometheus';

describe('a real Prometheus scraping the adapter', () => {
  let app: LegacyApp;
  let adapter: AdapterProcess;
  let prometheus: ServerProcess;
  let promPort = 0;
  const dir = tempDir('prometheus');

  /** The instant value of a PromQL expression, or undefined when it has no result. */
  async function query(expr: string): Promise<number | undefined> {
    const url = `http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    const doc = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
    const first = doc.data?.result?.[0];
    return first ? Number(first.value[1]) : undefined;
  }

  before(async () => {
    app = await LegacyApp.start();
    adapter = await AdapterProcess.start(['--source', app.url, '--cache', '200ms']);
    promPort = await freePort();
    const config = join(dir.path, 'prometheus.yml');
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: legacy\n    static_configs:\n      - targets: ['127.0.0.1:${adapter.port}']\n`,
    );
    prometheus = new ServerProcess(PROMETHEUS, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--storage.tsdb.retention.time=1h',
    ]);
  });
  after(async () => {
    await prometheus?.stop();
    await adapter?.stop();
    await app?.close();
    dir.remove();
  });

  test('records the expected values, follows a change, and goes to up 0 without stale samples', async () => {
    const rt = await waitFor(
      'legacy_response_time in Prometheus',
      () => query('legacy_response_time'),
      40_000,
      250,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nprometheus output:\n${prometheus.output}`);
    });
    assert.equal(rt, 0.25);
    assert.equal(await query('legacy_requests_total'), 1241);
    assert.equal(await query('legacy_errors_total'), 3);
    assert.equal(await query('up{job="legacy"}'), 1);
    assert.equal(await query('legacy_up'), 1);

    app.behaviour = { kind: 'ok', body: SEED_STATS.replace('requests_total 1241', 'requests_total 1300') };
    const changedAt = Date.now();
    await waitFor(
      'the new counter value',
      async () => ((await query('legacy_requests_total')) === 1300 ? true : undefined),
      10_000,
      100,
    );
    // Scrape interval 1 s + adapter cache 0.2 s: the change must show within a few seconds, not 30.
    assert.ok(Date.now() - changedAt < 5_000, `change took ${Date.now() - changedAt} ms to reach Prometheus`);

    await app.close();
    await waitFor(
      'legacy_up 0',
      async () => ((await query('legacy_up')) === 0 ? true : undefined),
      10_000,
      100,
    );
    assert.equal(await query('up{job="legacy"}'), 1, 'the adapter itself stays up');
    // The series vanished from the scrape, so Prometheus marked it stale: no current value.
    await waitFor(
      'legacy_requests_total to go stale',
      async () => ((await query('legacy_requests_total')) === undefined ? true : undefined),
      10_000,
      100,
    );
    assert.ok(((await query('legacy_source_errors_total{reason="connect"}')) ?? 0) >= 1);
  });
});
