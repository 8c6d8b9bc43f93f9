import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ShipperError } from '../errors.js';
import { CheckpointStore } from './checkpoint-store.js';
import { CheckpointTracker } from './checkpoint-tracker.js';

const fp = { length: 3, hash: 'abc' };
const entry = (offset: number) => ({ path: '/l/a.log', dev: 1, ino: 2, fingerprint: fp, offset });

describe('checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-state-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('offsets advance only over the prefix of batches safe in every output', () => {
    const store = CheckpointStore.open(join(dir, 'a'));
    store.track('f1', entry(0));
    const tracker = new CheckpointTracker(store);
    const none = new Map();
    tracker.register({ seq: 1, positions: new Map([['f1', 10]]), identities: none, openedAt: 1 }, 2);
    tracker.register({ seq: 2, positions: new Map([['f1', 20]]), identities: none, openedAt: 2 }, 2);
    tracker.safe(2);
    tracker.safe(2);
    tracker.safe(1);
    assert.equal(store.get('f1')?.offset, 0, 'batch 1 is safe in one output only');
    tracker.safe(1);
    assert.equal(store.get('f1')?.offset, 20);
    assert.equal(tracker.inFlight, 0);
    const onDisk = JSON.parse(readFileSync(join(dir, 'a', 'checkpoints.json'), 'utf8'));
    assert.equal(onDisk.files[0].offset, 20);
  });

  test('a restart sees the entries as restored; finished files are dropped once committed', () => {
    const again = CheckpointStore.open(join(dir, 'a'));
    const restored = again.restored();
    assert.equal(restored.length, 1);
    assert.equal(restored[0]![1].offset, 20);
    again.track('f9', { ...restored[0]![1] }, restored[0]![0]);
    assert.equal(again.restored().length, 0);
    again.finish('f9', 30);
    assert.ok(again.get('f9'));
    again.advance('f9', 30);
    assert.equal(again.get('f9'), undefined);
  });

  test('after truncation the offset may go back down, in batch order', () => {
    const store = CheckpointStore.open(join(dir, 'b'));
    store.track('f1', entry(100));
    store.advance('f1', 5);
    assert.equal(store.get('f1')?.offset, 5);
  });

  test('a damaged state file is an LS_ERR_STATE error naming the file', () => {
    writeFileSync(join(dir, 'c-checkpoints'), '');
    const d = join(dir, 'c');
    CheckpointStore.open(d);
    writeFileSync(join(d, 'checkpoints.json'), '{not json');
    assert.throws(
      () => CheckpointStore.open(d),
      (e: unknown) =>
        e instanceof ShipperError && e.code === 'LS_ERR_STATE' && /checkpoints\.json/.test(e.message),
    );
  });
});
