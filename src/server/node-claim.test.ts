import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { claimNode, NodeClaimedError } from './node-claim.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'podbay-claim-'));

test('a second claim while the holder lives is refused, naming the holder; release frees it', () => {
  const dir = scratch();
  const path = join(dir, 'run', 'engine.json');
  try {
    const release = claimNode('/data/one', path);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).dataDir, '/data/one');
    assert.throws(
      () => claimNode('/data/two', path),
      (e) =>
        e instanceof NodeClaimedError &&
        e.message.includes(`pid ${process.pid}, data dir /data/one`) &&
        e.message.includes('--no-run-pods'),
    );
    release();
    assert.equal(existsSync(path), false);
    claimNode('/data/two', path)();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the claim of a process that died (kill -9) is stale and taken over', () => {
  const dir = scratch();
  const path = join(dir, 'engine.json');
  try {
    const dead = spawnSync('true').pid!;
    writeFileSync(path, JSON.stringify({ pid: dead, startTime: 1, dataDir: '/data/old' }));
    const release = claimNode('/data/new', path);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).pid, process.pid);
    release();
    writeFileSync(path, 'not json');
    claimNode('/data/new', path)();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a release never removes a claim that is not its own', () => {
  const dir = scratch();
  const path = join(dir, 'engine.json');
  try {
    const release = claimNode('/data/one', path);
    writeFileSync(path, JSON.stringify({ pid: 1, startTime: 0, dataDir: '/data/other' }));
    release();
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).dataDir, '/data/other');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
