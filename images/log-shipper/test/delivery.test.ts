/**
 * Must show #1: a writer producing nginx lines at a high rate; rename rotation and copytruncate
 * during the run; the shipper killed (SIGKILL) and restarted mid-stream, with a rotation while it
 * is down; the sink down for a while, then back. Every line is delivered (count and content
 * checked), and duplicates stay within one batch (the one in flight when the shipper was killed).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  NginxWriter,
  RecordingSink,
  type Shipper,
  sleep,
  startShipper,
  until,
  writeFileSyncSafe,
} from './helpers.js';

const MAX_EVENTS = 500;
const BURST = 1000;
const BURSTS = 120; // 120 000 lines

let dir: string;
let sink: RecordingSink;
let shipper: Shipper | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ls-delivery-'));
  mkdirSync(join(dir, 'logs'));
  sink = new RecordingSink();
  await sink.start();
});

after(async () => {
  if (shipper && shipper.proc.exitCode === null) shipper.proc.kill('SIGKILL');
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
});

function launch(): Shipper {
  const config = join(dir, 'shipper.yaml');
  writeFileSyncSafe(
    config,
    [
      'inputs:',
      `  - path: ${join(dir, 'logs', '*.log')}`,
      '    parser: nginx',
      '    poll_interval: 20ms',
      '    scan_interval: 200ms',
      '    rotate_wait: 1s',
      'outputs:',
      '  - type: http',
      `    url: http://127.0.0.1:${sink.port}/ingest`,
      `state_dir: ${join(dir, 'state')}`,
      `batch: { max_events: ${MAX_EVENTS}, timeout: 100ms }`,
      'retry: { initial_backoff: 50ms, max_backoff: 400ms }',
      'metrics: false',
    ].join('\n'),
  );
  return startShipper(['--config', config]);
}

test('every line survives rotation, copytruncate, SIGKILL and a sink outage', {
  timeout: 120_000,
}, async () => {
  const writer = new NginxWriter(join(dir, 'logs', 'access.log'));
  shipper = launch();
  await shipper.waitForLog(/following file/);
  let killedAt = -1;
  for (let i = 0; i < BURSTS; i++) {
    writer.write(BURST);
    if (i === 20) writer.renameRotate(300);
    if (i === 40) {
      // Killed mid-stream, and a rotation happens while it is down: the restart must find the
      // rotated file by its fingerprint and finish it.
      shipper.proc.kill('SIGKILL');
      await shipper.exited;
      killedAt = writer.next;
      writer.write(BURST);
      writer.renameRotate(200);
      writer.write(BURST);
      shipper = launch();
    }
    if (i === 55) sink.mode = 'error'; // answers 503
    if (i === 60) await sink.stop(); // then refuses connections
    if (i === 70) await sink.start(sink.port);
    if (i === 72) sink.mode = 'up';
    if (i >= 60 && i < 70) await sleep(150); // ~1.5 s of outage while the writer goes on
    if (i === 90) {
      writer.write(BURST);
      writer.copyTruncate();
    }
    if (i === 100) writer.renameRotate(0);
    await sleep(15);
  }
  writer.close();
  const total = writer.next;
  assert.ok(killedAt > 0);
  await until('all lines delivered', () => sink.check(total).missing.length === 0, 60_000).catch(() => {});
  const { missing, duplicates } = sink.check(total);
  assert.deepEqual(missing.slice(0, 20), [], `${missing.length} of ${total} lines never arrived`);
  assert.ok(duplicates <= MAX_EVENTS, `${duplicates} duplicates, more than one batch (${MAX_EVENTS})`);
  assert.equal([...sink.seen.keys()].filter((k) => k >= total).length, 0, 'nothing invented');
  assert.ok(
    shipper.stderr.some((l) => /file truncated/.test(l)),
    'the copytruncate was noticed',
  );
  assert.ok(
    shipper.stderr.some((l) => /buffering on disk and retrying/.test(l)),
    'the outage was noticed',
  );

  const stoppedAt = Date.now();
  shipper.proc.kill('SIGTERM');
  const { code } = await shipper.exited;
  assert.equal(code, 0);
  assert.ok(Date.now() - stoppedAt < 5000, 'SIGTERM stops within seconds');
});
