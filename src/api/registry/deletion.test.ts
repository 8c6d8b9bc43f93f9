import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../types.js';
import { planDeletion } from './deletion.js';

const NOW = new Date('2026-11-25T08:00:00Z');
const cm = (meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'd', ...meta },
});

describe('planDeletion', () => {
  test('an object with nothing holding it is removed at once', () => {
    assert.deepEqual(planDeletion(cm(), 'Background', 0, NOW), { kind: 'remove' });
  });

  test('finalizers hold it: marked with deletionTimestamp and a zero grace period', () => {
    const p = planDeletion(cm({ finalizers: ['example.com/x'] }), undefined, 0, NOW);
    assert.equal(p.kind, 'mark');
    if (p.kind !== 'mark') return;
    assert.equal(p.next.metadata.deletionTimestamp, '2026-11-25T08:00:00Z');
    assert.equal(p.next.metadata.deletionGracePeriodSeconds, 0);
  });

  test('propagation policies become finalizers, replacing each other', () => {
    const fg = planDeletion(cm(), 'Foreground', 0, NOW);
    assert.deepEqual(fg.kind === 'mark' && fg.next.metadata.finalizers, ['foregroundDeletion']);
    const orphan = planDeletion(cm({ finalizers: ['foregroundDeletion'] }), 'Orphan', 0, NOW);
    assert.deepEqual(orphan.kind === 'mark' && orphan.next.metadata.finalizers, ['orphan']);
    assert.deepEqual(planDeletion(cm({ finalizers: ['orphan'] }), 'Background', 0, NOW), { kind: 'remove' });
  });

  test('a grace period marks; a shorter one cuts a pending deadline short, a longer one never extends it', () => {
    const first = planDeletion(cm(), undefined, 30, NOW);
    assert.ok(first.kind === 'mark');
    if (first.kind !== 'mark') return;
    assert.equal(first.next.metadata.deletionTimestamp, '2026-11-25T08:00:30Z');
    const later = new Date(NOW.getTime() + 5000);
    const shorter = planDeletion(first.next, undefined, 5, later);
    assert.ok(shorter.kind === 'mark' && shorter.next.metadata.deletionTimestamp === '2026-11-25T08:00:10Z');
    const longer = planDeletion(first.next, undefined, 60, later);
    assert.ok(longer.kind === 'mark' && longer.next.metadata.deletionTimestamp === '2026-11-25T08:00:30Z');
  });

  test('a huge grace period (any int64) marks with the last RFC 3339 second, never a 500', () => {
    for (const grace of [99_999_999_999_999, 2 ** 53 + 2, 2 ** 62]) {
      const p = planDeletion(cm(), undefined, grace, NOW);
      assert.ok(p.kind === 'mark');
      if (p.kind !== 'mark') return;
      assert.equal(p.next.metadata.deletionTimestamp, '9999-12-31T23:59:59Z');
      assert.equal(p.next.metadata.deletionGracePeriodSeconds, grace);
    }
  });

  test('a namespace goes Terminating and is held by its spec finalizer', () => {
    const ns: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'dev' },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    const p = planDeletion(ns, 'Background', 0, NOW);
    assert.ok(p.kind === 'mark');
    if (p.kind !== 'mark') return;
    assert.deepEqual(p.next.status, { phase: 'Terminating' });
    assert.equal(ns.status && (ns.status as { phase: string }).phase, 'Active', 'the input is not mutated');
  });
});
