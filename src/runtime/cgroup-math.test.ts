import assert from 'node:assert/strict';
import { test } from 'node:test';
import { milliCpuToQuota, milliCpuToShares, sharesToWeight } from './cgroup-math.js';

test('milliCpuToQuota: kubelet MilliCPUToQuota with a 100 ms period', () => {
  for (const [milli, quota] of [
    [0, -1],
    [1, 1000], // below the 1 ms minimum quota
    [10, 1000],
    [250, 25000],
    [500, 50000],
    [1000, 100000],
    [1500, 150000],
    [4000, 400000],
  ] as const) {
    assert.equal(milliCpuToQuota(milli), quota, `${milli}m`);
  }
});

test('milliCpuToShares: kubelet MilliCPUToShares, clamped to [2, 262144]', () => {
  for (const [milli, shares] of [
    [0, 2],
    [1, 2],
    [2, 2],
    [100, 102],
    [250, 256],
    [1000, 1024],
    [2500, 2560],
    [300000, 262144],
  ] as const) {
    assert.equal(milliCpuToShares(milli), shares, `${milli}m`);
  }
});

test('sharesToWeight: runc >= 1.3.2 quadratic conversion to cgroup v2 cpu.weight', () => {
  for (const [shares, weight] of [
    [0, 0],
    [2, 1],
    [256, 35],
    [1024, 100],
    [262144, 10000],
  ] as const) {
    assert.equal(sharesToWeight(shares), weight, `${shares} shares`);
  }
  // Monotonic over the whole range.
  let prev = 0;
  for (let s = 2; s <= 262144; s *= 2) {
    const w = sharesToWeight(s);
    assert.ok(w >= prev && w >= 1 && w <= 10000);
    prev = w;
  }
});
