import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lastLogLines, prepareTerminationMessage, readTerminationMessage } from './termination-message.js';

test('CRI lines are joined (P..F) and only the last 80 lines are kept', () => {
  const cri = [
    '2026-01-01T00:00:00.000000001Z stdout P hel',
    '2026-01-01T00:00:00.000000002Z stdout F lo',
    '2026-01-01T00:00:00.000000003Z stderr F oops',
    'garbage',
  ].join('\n');
  assert.equal(lastLogLines(cri), 'hello\noops\n');
  const many = Array.from({ length: 100 }, (_, i) => `2026-01-01T00:00:00Z stdout F l${i}`).join('\n');
  const tail = lastLogLines(many);
  assert.equal(tail.split('\n').length - 1, 80);
  assert.ok(tail.startsWith('l20\n'));
  assert.equal(lastLogLines(''), '');
});

test('the file is created 0666 and read back; logs are the fallback only on failure', async () => {
  const dir = mkdtempSync('/tmp/podbay-termmsg-');
  try {
    const prepared = await prepareTerminationMessage(dir, {
      name: 'app',
      terminationMessagePolicy: 'FallbackToLogsOnError',
    });
    assert.ok(prepared);
    assert.equal(prepared.mount.containerPath, '/dev/termination-log');
    assert.equal(statSync(prepared.mount.hostPath).mode & 0o777, 0o666);
    const log = join(dir, '0.log');
    writeFileSync(log, '2026-01-01T00:00:00Z stdout F last words\n');
    assert.equal(readTerminationMessage(prepared.annotations, 1, log), 'last words\n');
    assert.equal(readTerminationMessage(prepared.annotations, 0, log), '');
    writeFileSync(prepared.mount.hostPath, 'written');
    assert.equal(readTerminationMessage(prepared.annotations, 1, log), 'written');
    assert.equal(readFileSync(prepared.mount.hostPath, 'utf8'), 'written');
    assert.equal(readTerminationMessage({}, 1, log), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
