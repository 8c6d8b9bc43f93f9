/**
 * Fuzz-style tests: random JSON shapes (seeded, bounded in count) thrown at every entry point.
 * Each call must either succeed or throw ApiError, never mutate its inputs, and return JSON.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { applyJsonMergePatch } from './json-merge-patch.js';
import { applyJsonPatch } from './json-patch.js';
import { recordUpdateManagedFields, serverSideApply } from './server-side-apply.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

const ITERATIONS = 1500;

/** mulberry32: small, seeded, good enough to spread shapes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'spec',
  'metadata',
  'template',
  'containers',
  'name',
  'image',
  'env',
  'ports',
  'containerPort',
  'protocol',
  'finalizers',
  'labels',
  'volumes',
  'strategy',
  'type',
  'ownerReferences',
  'uid',
  '$patch',
  '$retainKeys',
  '$setElementOrder/containers',
  '$setElementOrder/finalizers',
  '$deleteFromPrimitiveList/finalizers',
  '__proto__',
  'op',
  'path',
  'from',
  'value',
  'replicas',
  'status',
  'conditions',
  'managedFields',
];
const STRINGS = [
  'delete',
  'replace',
  'merge',
  'a',
  'app',
  '/spec',
  '/spec/containers/0',
  '/metadata/labels/x',
  '-',
  '~1',
  '',
  'TCP',
  'add',
  'remove',
  'test',
  'copy',
  'move',
];

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 4 || pick < 0.35) {
    const s = r();
    if (s < 0.15) return null;
    if (s < 0.35) return Math.floor(r() * 5);
    if (s < 0.45) return r() < 0.5;
    return STRINGS[Math.floor(r() * STRINGS.length)];
  }
  if (pick < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 5); i > 0; i--) {
    Object.defineProperty(out, KEYS[Math.floor(r() * KEYS.length)]!, {
      value: randomValue(r, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function randomObject(r: () => number, kind: string, apiVersion: string): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'x' },
    spec: randomValue(r, 1),
    ...(r() < 0.3 ? { status: randomValue(r, 1) } : {}),
  } as KubeObject;
}

/** Calls `fn`; only ApiError may escape; inputs must be unchanged; output must be JSON. */
function check(seed: number, inputs: unknown[], fn: () => unknown): void {
  const before = JSON.stringify(inputs);
  try {
    const out = fn();
    JSON.stringify(out);
  } catch (e) {
    assert.ok(e instanceof ApiError, `seed ${seed}: ${(e as Error)?.stack ?? String(e)}`);
  }
  assert.equal(JSON.stringify(inputs), before, `seed ${seed}: inputs mutated`);
}

describe('fuzz', () => {
  test('json merge patch', () => {
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const r = rng(seed);
      const target = randomValue(r, 0);
      const patch = randomValue(r, 0);
      check(seed, [target, patch], () => applyJsonMergePatch(target, patch));
    }
  });

  test('json patch', () => {
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const r = rng(seed);
      const target = randomValue(r, 0);
      const ops =
        r() < 0.9
          ? Array.from({ length: 1 + Math.floor(r() * 4) }, () => randomValue(r, 3))
          : randomValue(r, 0);
      check(seed, [target, ops], () => applyJsonPatch(target, ops));
    }
  });

  test('strategic merge patch', () => {
    const kinds = [
      { group: '', kind: 'Pod' },
      { group: 'apps', kind: 'Deployment' },
      { group: '', kind: 'Service' },
      { group: 'x.io', kind: 'Widget' },
    ];
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const r = rng(seed);
      const original = randomValue(r, 0);
      const patch = randomValue(r, 0);
      const kind = kinds[seed % kinds.length]!;
      check(seed, [original, patch], () => applyStrategicMergePatch(original, patch, kind));
    }
  });

  test('server-side apply and update tracking', () => {
    const now = new Date('2026-11-25T08:00:00Z');
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const r = rng(seed);
      const kind =
        seed % 2
          ? { group: 'apps', kind: 'Deployment', apiVersion: 'apps/v1' }
          : { group: '', kind: 'Pod', apiVersion: 'v1' };
      const live = randomObject(r, kind.kind, kind.apiVersion);
      const applied = randomObject(r, kind.kind, kind.apiVersion);
      let current: KubeObject | undefined;
      check(seed, [live, applied], () => {
        current = serverSideApply(r() < 0.3 ? undefined : live, applied, {
          manager: 'm',
          force: r() < 0.5,
          now,
          kind,
        });
        return current;
      });
      const next = randomObject(r, kind.kind, kind.apiVersion);
      const old = current ?? live;
      check(seed, [old], () => recordUpdateManagedFields(old, next, 'u', now));
    }
  });
});
