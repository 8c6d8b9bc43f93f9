import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { StoreError } from './errors.js';
import { Store } from './sqlite-store.js';
import type { StoreEvent } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'podbay-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});
const key = (name: string) => ({ resource: 'configmaps', namespace: 'default', name });
const tick = () => new Promise((r) => setImmediate(r));

describe('Store', () => {
  test('assigns increasing revisions and serves the current object', () => {
    const s = Store.open({ path: ':memory:' });
    const a = s.create(key('a'), cm('a'));
    const b = s.create(key('b'), cm('b'));
    assert.ok(b.revision > a.revision);
    assert.equal(s.get(key('a'))?.object.metadata.resourceVersion, String(a.revision));
    const a2 = s.update(key('a'), cm('a', { x: '1' }), a.revision);
    assert.equal(s.revision, a2.revision);
    assert.deepEqual(s.get(key('a'))?.object.data, { x: '1' });
    assert.deepEqual(
      s.list('configmaps', 'default').map((o) => o.object.metadata.name),
      ['a', 'b'],
    );
    s.close();
  });

  test('refuses a duplicate create and a stale update', () => {
    const s = Store.open({ path: ':memory:' });
    const a = s.create(key('a'), cm('a'));
    assert.throws(
      () => s.create(key('a'), cm('a')),
      (e: unknown) => e instanceof StoreError && e.code === 'Exists',
    );
    s.update(key('a'), cm('a', { v: '2' }), a.revision);
    assert.throws(
      () => s.update(key('a'), cm('a', { v: '3' }), a.revision),
      (e: unknown) => e instanceof StoreError && e.code === 'Conflict',
    );
    assert.throws(
      () => s.delete(key('zzz')),
      (e: unknown) => e instanceof StoreError && e.code === 'NotFound',
    );
    s.close();
  });

  test('delivers events in order after commit, and re-creates after delete', async () => {
    const s = Store.open({ path: ':memory:' });
    const seen: StoreEvent[] = [];
    s.subscribe((e) => seen.push(e));
    const a = s.create(key('a'), cm('a'));
    s.update(key('a'), cm('a', { k: 'v' }), a.revision);
    s.delete(key('a'));
    s.create(key('a'), cm('a'));
    assert.equal(seen.length, 0, 'delivery is asynchronous: never inside the write call');
    await tick();
    assert.deepEqual(
      seen.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED', 'ADDED'],
    );
    assert.deepEqual(
      seen.map((e) => e.revision),
      [...seen.map((e) => e.revision)].sort((x, y) => x - y),
    );
    assert.equal(seen[1]!.prevObject?.metadata.resourceVersion, String(a.revision));
    s.close();
  });

  test('resumes from a revision and reports compacted history', () => {
    const s = Store.open({ path: ':memory:', historySize: 10 });
    const first = s.create(key('x0'), cm('x0'));
    for (let i = 1; i < 40; i++) s.create(key(`x${i}`), cm(`x${i}`));
    assert.throws(
      () => s.eventsSince(first.revision),
      (e: unknown) => e instanceof StoreError && e.code === 'Compacted',
    );
    const recent = s.eventsSince(s.revision - 3);
    // Events not yet delivered to listeners are left to live delivery.
    assert.ok(recent.length <= 3);
    assert.throws(
      () => s.eventsSince(s.revision + 5),
      (e: unknown) => e instanceof StoreError && e.code === 'FutureRevision',
    );
    s.close();
  });

  test('the watch history is also bounded in bytes: big objects compact it sooner', async () => {
    const big = (name: string) => ({ ...cm(name), data: { blob: 'x'.repeat(100_000) } });
    const s = Store.open({ path: ':memory:', historySize: 1000, historyBytes: 1_000_000 });
    const first = s.create(key('b0'), big('b0'));
    for (let i = 1; i < 30; i++) s.create(key(`b${i}`), big(`b${i}`));
    await new Promise((r) => setImmediate(r)); // deliver, so eventsSince sees every event
    assert.throws(
      () => s.eventsSince(first.revision),
      (e: unknown) => e instanceof StoreError && e.code === 'Compacted',
      '30 objects of 100 kB do not fit in 1 MB',
    );
    // What is kept is the newest, within the budget, and resumable.
    const kept = s.eventsSince(s.revision - 5);
    assert.deepEqual(
      kept.map((e) => e.key.name),
      ['b25', 'b26', 'b27', 'b28', 'b29'],
    );
    assert.throws(
      () => s.eventsSince(s.revision - 12),
      (e: unknown) => e instanceof StoreError,
    );
    // Small objects still fill the count budget as before.
    const small = Store.open({ path: ':memory:', historySize: 1000, historyBytes: 1_000_000 });
    const firstSmall = small.create(key('s0'), cm('s0'));
    for (let i = 1; i < 100; i++) small.create(key(`s${i}`), cm(`s${i}`));
    await new Promise((r) => setImmediate(r));
    assert.equal(small.eventsSince(firstSmall.revision).length, 99);
    s.close();
    small.close();
  });

  test('persists across reopen, with watch history and compaction', async () => {
    const path = join(dir, 'persist.db');
    const s = Store.open({ path, historySize: 5 });
    let last = s.create(key('keep'), cm('keep'));
    for (let i = 0; i < 20; i++) last = s.update(key('keep'), cm('keep', { i: String(i) }), last.revision);
    const gone = s.create(key('gone'), cm('gone'));
    s.delete(key('gone'), gone.revision);
    await tick();
    const removed = s.compact();
    assert.ok(removed > 0, 'superseded rows are compacted');
    const rev = s.revision;
    s.close();

    const r = Store.open({ path, historySize: 5 });
    assert.equal(r.revision, rev);
    assert.deepEqual(r.get(key('keep'))?.object.data, { i: '19' });
    assert.equal(r.get(key('gone')), undefined);
    const evs = r.eventsSince(rev - 2);
    assert.equal(evs.length, 2);
    assert.equal(evs.at(-1)?.type, 'DELETED');
    const next = r.create(key('new'), cm('new'));
    assert.equal(next.revision, rev + 1, 'revisions continue where they stopped');
    r.close();
  });
});
