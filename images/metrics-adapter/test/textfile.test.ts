/**
 * The optional textfile output: written atomically (temp file + rename, never a truncated or empty
 * file), valid for promtool, read by a real node-exporter textfile collector, and no temp file left
 * after SIGTERM.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdapterProcess, sampleValue, scrape } from './helpers/adapter-process.js';
import { LegacyApp, SEED_STATS } from './helpers/legacy-app.js';
import { freePort, ServerProcess, tempDir, waitFor } from './helpers/ports-and-dirs.js';
import { promtoolCheck } from './helpers/promtool.js';

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

describe('textfile output for node-exporter', () => {
  let app: LegacyApp;
  let adapter: AdapterProcess;
  const dir = tempDir('textfile');
  const target = join(dir.path, 'legacy_app.prom');

  before(async () => {
    app = await LegacyApp.start();
    adapter = await AdapterProcess.start([
      '--source',
      app.url,
      '--textfile',
      target,
      '--textfile-interval',
      '100ms',
      '--cache',
      '0',
    ]);
    await waitFor('the textfile', async () => (existsSync(target) ? true : undefined), 10_000, 20);
  });
  after(async () => {
    await adapter?.stop();
    await app?.close();
    dir.remove();
  });

  test('is valid for promtool and never seen truncated while rewritten every 100 ms', async () => {
    const check = await promtoolCheck(readFileSync(target, 'utf8'));
    assert.equal(check.code, 0, check.output);
    const deadline = Date.now() + 1_500;
    let reads = 0;
    while (Date.now() < deadline && reads < 5_000) {
      const text = readFileSync(target, 'utf8');
      // The fetch counter is the file's last line: seeing it means the whole file is there.
      assert.match(text, /\nlegacy_source_fetches_total \d+\n$/, 'complete file');
      assert.match(text, /^legacy_requests_total 1241$/m);
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(reads > 50, `only ${reads} reads`);
  });

  test('a real node-exporter textfile collector exports it with no scrape error', async () => {
    const port = await freePort();
    const exporter = new ServerProcess(NODE_EXPORTER, [
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${dir.path}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    try {
      const body = await waitFor(
        'node-exporter',
        async () => (await scrape(`http://127.0.0.1:${port}/metrics`)).body,
        15_000,
        100,
      );
      assert.equal(sampleValue(body, 'legacy_requests_total'), 1241, exporter.output);
      assert.equal(sampleValue(body, 'legacy_up'), 1);
      assert.equal(sampleValue(body, 'node_textfile_scrape_error'), 0);
    } finally {
      await exporter.stop();
    }
  });

  test('with the source down the file says up 0 and carries no legacy samples', async () => {
    app.behaviour = { kind: 'status', status: 503 };
    try {
      const text = await waitFor(
        'up 0 in the textfile',
        async () => {
          const t = readFileSync(target, 'utf8');
          return /^legacy_up 0$/m.test(t) ? t : undefined;
        },
        5_000,
        20,
      );
      assert.doesNotMatch(text, /^legacy_requests_total /m);
    } finally {
      app.behaviour = { kind: 'ok', body: SEED_STATS };
    }
  });

  test('SIGTERM leaves the last complete file and no temp file', async () => {
    const res = await adapter.stop();
    assert.equal(res.code, 0);
    assert.deepEqual(readdirSync(dir.path), ['legacy_app.prom']);
    assert.match(readFileSync(target, 'utf8'), /^legacy_up [01]$/m);
  });
});
