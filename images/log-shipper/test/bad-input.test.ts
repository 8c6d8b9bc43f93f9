/**
 * Must show #3: malformed lines, binary garbage, a 10 MB line and an unreadable file are
 * reported, and everything else is shipped. The shipper runs as an unprivileged user (nobody),
 * as in the pod, so that a mode-000 file really is unreadable.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { metricsPort, metricValue, nginxLine, type Shipper, scrape, startShipper, until } from './helpers.js';

const NOBODY = 65534;
let dir: string;
let shipper: Shipper | undefined;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ls-bad-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'logs'), { mode: 0o755 });
  mkdirSync(join(dir, 'state'), { mode: 0o777 });
  mkdirSync(join(dir, 'out'), { mode: 0o777 });
  chmodSync(join(dir, 'state'), 0o777);
  chmodSync(join(dir, 'out'), 0o777);
});

after(async () => {
  if (shipper && shipper.proc.exitCode === null) shipper.proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('bad input is reported and the rest is shipped', { timeout: 60_000 }, async (t) => {
  const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x41, 0xc3, 0x28, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xf0, 0x9f]);
  const hugeLength = 10 * 1024 * 1024;
  const parts: Buffer[] = [
    Buffer.from(nginxLine(0)),
    Buffer.from('this is not an nginx line\n'),
    Buffer.from(nginxLine(1)),
    Buffer.concat([garbage, Buffer.from('\n')]),
    Buffer.from(nginxLine(2)),
    Buffer.concat([Buffer.alloc(hugeLength, 'x'), Buffer.from('\n')]),
    Buffer.from(nginxLine(3)),
    Buffer.from('{"json": "in an nginx log"}\n'),
    Buffer.from(nginxLine(4)),
  ];
  writeFileSync(join(dir, 'logs', 'access.log'), Buffer.concat(parts), { mode: 0o644 });
  writeFileSync(join(dir, 'logs', 'secret.log'), nginxLine(99), { mode: 0o000 });
  const outFile = join(dir, 'out', 'shipped.ndjson');
  shipper = startShipper(
    [
      '--input',
      join(dir, 'logs', '*.log'),
      '--output',
      `file:${outFile}`,
      '--state',
      join(dir, 'state'),
      '--metrics',
      '127.0.0.1:0',
    ],
    { uid: NOBODY, gid: NOBODY },
  );
  const port = await metricsPort(shipper);
  const read = () => {
    try {
      return readFileSync(outFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
    } catch {
      return [];
    }
  };
  await until('nine records', () => read().length >= 9, 20_000);
  const records = read().map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(records.length, 9, 'one record per line; nothing from the unreadable file');
  assert.deepEqual(
    records.filter((r) => r.status !== undefined).map((r) => r.path),
    ['/seq/0', '/seq/1', '/seq/2', '/seq/3', '/seq/4'],
  );
  const malformed = records[1]!;
  assert.equal(malformed.message, 'this is not an nginx line');
  assert.match(String(malformed.parse_error), /remote_addr/);
  const binary = records[3]!;
  assert.equal(binary.invalid_utf8, true);
  assert.ok(typeof binary.parse_error === 'string');
  const huge = records[5]!;
  assert.equal(huge.truncated, true);
  assert.equal(huge.original_bytes, hugeLength);
  assert.equal(String(huge.message).length, 102_400, 'cut at max_line_bytes, not dropped');
  assert.ok(typeof records[7]!.parse_error === 'string');

  await shipper.waitForLog(/cannot read file.*secret\.log|secret\.log.*cannot read file/);
  await shipper.waitForLog(/longer than max_line_bytes/);
  const m = (await scrape(port)).body;
  assert.equal(metricValue(m, 'log_shipper_files_unreadable'), 1);
  assert.equal(metricValue(m, 'log_shipper_parse_errors_total'), 4);
  assert.equal(metricValue(m, 'log_shipper_lines_truncated_total'), 1);
  assert.equal(metricValue(m, 'log_shipper_invalid_utf8_total'), 1);
  t.diagnostic(`stderr: ${shipper.stderr.filter((l) => /secret/.test(l)).join(' ')}`);
  shipper.proc.kill('SIGTERM');
  assert.equal((await shipper.exited).code, 0);
});
