/**
 * Root test: a second engine that would run pods refuses to start while one runs them on this machine
 * (they would share the bridge, cgroups and nft tables), and says which engine holds the machine; an
 * API-only second engine starts. The first engine's pods are untouched.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PODBAY_BIN, TestServer } from '../../test/e2e/harness.js';

describe('one engine runs pods per machine', { timeout: 120_000 }, () => {
  const first = new TestServer();
  const otherDir = mkdtempSync(join(tmpdir(), 'podbay-second-'));
  before(() => first.start('127.0.0.1:0', ['--run-pods', '--cleanup-on-exit']));
  after(async () => {
    await first.destroy();
    rmSync(otherDir, { recursive: true, force: true });
  });

  test('a second pod-running engine exits with an error naming the first; the first keeps serving', async () => {
    const second = spawnSync(
      process.execPath,
      [PODBAY_BIN, 'server', '--data-dir', otherDir, '--listen', '127.0.0.1:0'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.notEqual(second.status, 0);
    assert.match(
      second.stderr,
      new RegExp(`another podbay engine \\(pid \\d+, data dir ${first.dataDir}\\) runs pods on this machine`),
    );
    assert.match(await first.k(['get', 'nodes']), /\sReady\s/);
  });

  test('an API-only second engine is not refused', async () => {
    const apiOnly = new TestServer(otherDir);
    await apiOnly.start();
    try {
      assert.match(await apiOnly.k(['get', 'ns']), /^NAME/);
    } finally {
      // destroy, not stop: the server's kubectl cache dir goes too (its data dir is otherDir, removed after).
      await apiOnly.destroy();
    }
  });
});
