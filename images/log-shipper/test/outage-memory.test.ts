/**
 * Must show #2: a sink outage of a million lines. The shipper reads on while it can buffer on
 * disk, stops reading when the disk buffer is full (backpressure), and its memory stays under the
 * seed's 128 Mi limit throughout. When the sink comes back every line is delivered.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  metricsPort,
  metricValue,
  nginxLine,
  peakRss,
  RecordingSink,
  type Shipper,
  scrape,
  sleep,
  startShipper,
  until,
} from './helpers.js';

const LINES = 1_000_000;
const LIMIT = 128 * 1024 * 1024;

let dir: string;
let sink: RecordingSink;
let shipper: Shipper | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ls-outage-'));
  mkdirSync(join(dir, 'logs'));
  const parts: string[] = [];
  for (let i = 0; i < LINES; i++) parts.push(nginxLine(i));
  writeFileSync(join(dir, 'logs', 'access.log'), parts.join(''));
  sink = new RecordingSink();
  await sink.start();
  await sink.stop(); // the port is known, nothing listens: connection refused
});

after(async () => {
  if (shipper && shipper.proc.exitCode === null) shipper.proc.kill('SIGKILL');
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a million-line outage: RSS under 128 Mi, backpressure instead of loss, all delivered after', {
  timeout: 150_000,
}, async (t) => {
  shipper = startShipper(
    [
      '--input',
      join(dir, 'logs', '*.log'),
      '--output',
      `http://127.0.0.1:${sink.port}/ingest`,
      '--state',
      join(dir, 'state'),
      '--metrics',
      '127.0.0.1:0',
    ],
    { env: { LOG_SHIPPER_CONFIG: '' } },
  );
  const port = await metricsPort(shipper);
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, peakRss(shipper!.proc.pid!));
  }, 50);
  try {
    // Default buffer.max_disk_bytes is 256 Mi, less than a million records: reading must stall.
    let stalled = '';
    await until(
      'the disk buffer to fill and reading to stop',
      async () => {
        const m = (await scrape(port)).body;
        const read = metricValue(m, 'log_shipper_lines_read_total');
        const buffered = metricValue(m, 'log_shipper_buffered_bytes');
        const key = `${read}/${buffered}`;
        const same = key === stalled && read > 0;
        stalled = key;
        if (!same) await sleep(500);
        return same || read >= LINES;
      },
      60_000,
    );
    const m = (await scrape(port)).body;
    assert.ok(metricValue(m, 'log_shipper_retries_total') > 0);
    assert.ok(metricValue(m, 'log_shipper_buffered_batches') > 0);
    assert.equal(metricValue(m, 'log_shipper_output_up'), 0);
    const health = await scrape(port, '/health');
    assert.equal(health.status, 200, 'a down sink is not a reason to restart the shipper');
    assert.match(health.body, /"up":false/);

    await sink.start(sink.port);
    await until('all lines delivered', () => sink.check(LINES).missing.length === 0, 90_000).catch(() => {});
    peak = Math.max(peak, peakRss(shipper.proc.pid!));
  } finally {
    clearInterval(sampler);
  }
  const { missing, duplicates } = sink.check(LINES);
  assert.equal(missing.length, 0, `${missing.length} lines never arrived`);
  assert.equal(duplicates, 0);
  t.diagnostic(`peak RSS during the outage and the catch-up: ${(peak / 2 ** 20).toFixed(1)} MiB`);
  assert.ok(peak > 0 && peak < LIMIT, `peak RSS ${(peak / 2 ** 20).toFixed(1)} MiB`);
  shipper.proc.kill('SIGTERM');
  assert.equal((await shipper.exited).code, 0);
});
