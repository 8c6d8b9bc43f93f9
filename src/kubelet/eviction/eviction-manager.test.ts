import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { evictedStatus } from '../pod-sync.js';
import { volumeDir } from '../volumes/setup.js';
import { EvictionManager } from './eviction-manager.js';

let podsDir: string;

function podWith(uid: string, emptyDir: { medium?: string; sizeLimit?: string }): Pod {
  return {
    metadata: { name: `p-${uid}`, namespace: 'default', uid },
    spec: { containers: [{ name: 'app' }], volumes: [{ name: 'scratch', emptyDir }] },
  };
}

/** Writes `bytes` of real (non-sparse) data into the pod's emptyDir "scratch". */
function fill(uid: string, bytes: number): void {
  const dir = volumeDir(join(podsDir, uid), 'emptyDir', 'scratch');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data'), Buffer.alloc(bytes, 1));
}

describe('EvictionManager: emptyDir sizeLimit', () => {
  before(() => {
    podsDir = mkdtempSync('/tmp/podbay-eviction-test-');
  });
  after(() => rmSync(podsDir, { recursive: true, force: true }));

  test('evicts only the pod whose disk emptyDir passes its limit, with upstream message', async () => {
    const over = podWith('over', { sizeLimit: '1Mi' });
    const under = podWith('under', { sizeLimit: '4Mi' });
    const memory = podWith('memory', { medium: 'Memory', sizeLimit: '1Mi' });
    const noLimit = podWith('nolimit', {});
    fill('over', 2 * 1024 * 1024);
    fill('under', 2 * 1024 * 1024);
    fill('memory', 2 * 1024 * 1024);
    fill('nolimit', 2 * 1024 * 1024);
    const evictions: [string, string][] = [];
    const manager = new EvictionManager({
      podsDir,
      activePods: () => [over, under, memory, noLimit],
      evictPod: (pod, message) => evictions.push([pod.metadata?.name ?? '', message]),
      log: () => {},
    });
    const evicted = await manager.synchronize();
    assert.deepEqual(
      evicted.map((p) => p.metadata?.uid),
      ['over'],
    );
    assert.deepEqual(evictions, [['p-over', 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ']]);
  });

  test('a pod being deleted is left to the deletion', async () => {
    const deleting = podWith('deleting', { sizeLimit: '1Ki' });
    deleting.metadata = { ...deleting.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' };
    fill('deleting', 64 * 1024);
    let called = 0;
    const manager = new EvictionManager({
      podsDir,
      activePods: () => [deleting],
      evictPod: () => called++,
      log: () => {},
    });
    assert.equal((await manager.synchronize()).length, 0);
    assert.equal(called, 0);
  });
});

describe('evictedStatus', () => {
  test('phase Failed, reason Evicted, the message, and a kubelet DisruptionTarget condition', () => {
    const now = new Date('2026-01-01T00:00:05.123Z');
    const status = evictedStatus(
      { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
      'Usage of EmptyDir volume "x" exceeds the limit "1Mi". ',
      now,
    );
    assert.equal(status.phase, 'Failed');
    assert.equal(status.reason, 'Evicted');
    assert.equal(status.message, 'Usage of EmptyDir volume "x" exceeds the limit "1Mi". ');
    assert.deepEqual(status.conditions?.[1], {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'TerminationByKubelet',
      message: 'Usage of EmptyDir volume "x" exceeds the limit "1Mi". ',
      lastTransitionTime: '2026-01-01T00:00:05Z',
    });
    const again = evictedStatus(status, status.message ?? '', new Date('2026-01-01T00:01:00Z'));
    assert.equal(again.conditions?.length, 2);
    assert.equal(again.conditions?.[1]?.lastTransitionTime, '2026-01-01T00:00:05Z');
  });
});
