/**
 * The cgroup file writes for v1 and v2, against a temporary directory standing in for
 * /sys/fs/cgroup (the kernel-backed behaviour is covered by runtime-lifecycle.test.ts on v1).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Cgroup, detectCgroupVersion } from './cgroups.js';

const limits = {
  cpuLimitMilli: 250,
  cpuRequestMilli: 250,
  memoryLimitBytes: 64 * 1024 * 1024,
  pidsLimit: 100,
};

test('cgroup v2: cpu.max, cpu.weight (256 shares -> 35), memory.max, pids.max, controllers delegated', async () => {
  const root = mkdtempSync('/tmp/podbay-cg2-');
  try {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids\n');
    assert.equal(detectCgroupVersion(root), 2);
    const cg = new Cgroup(2, 'sb1/c1', root);
    await cg.create();
    await cg.applyResources(limits);
    const dir = join(root, 'podbay', 'sb1', 'c1');
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    assert.equal(read('cpu.max'), '25000 100000');
    assert.equal(read('cpu.weight'), '35');
    assert.equal(read('memory.max'), String(64 * 1024 * 1024));
    assert.equal(read('memory.swap.max'), '0');
    assert.equal(read('pids.max'), '100');
    assert.equal(
      readFileSync(join(root, 'podbay', 'sb1', 'cgroup.subtree_control'), 'utf8'),
      '+cpu +memory +pids',
    );
    assert.deepEqual(cg.procsFiles(), [join(dir, 'cgroup.procs')]);
    const unlimited = new Cgroup(2, 'sb3/c1', root);
    await unlimited.create();
    await unlimited.applyResources({});
    assert.equal(readFileSync(join(root, 'podbay', 'sb3', 'c1', 'cpu.max'), 'utf8'), 'max 100000');
    writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    assert.equal(await cg.oomKills(), 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('cgroup v1: one directory per controller, cfs quota/period, shares, memory and pids', async () => {
  const root = mkdtempSync('/tmp/podbay-cg1-');
  try {
    for (const c of ['cpu', 'cpuacct', 'memory', 'pids']) mkdirSync(join(root, c));
    assert.equal(detectCgroupVersion(root), 1);
    const cg = new Cgroup(1, 'sb1/c1', root);
    await cg.create();
    await cg.applyResources(limits);
    const read = (c: string, f: string) => readFileSync(join(root, c, 'podbay', 'sb1', 'c1', f), 'utf8');
    assert.equal(read('cpu', 'cpu.cfs_quota_us'), '25000');
    assert.equal(read('cpu', 'cpu.cfs_period_us'), '100000');
    assert.equal(read('cpu', 'cpu.shares'), '256');
    assert.equal(read('memory', 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
    assert.equal(read('pids', 'pids.max'), '100');
    assert.equal(cg.procsFiles().length, 4);
    writeFileSync(
      join(root, 'memory', 'podbay', 'sb1', 'c1', 'memory.oom_control'),
      'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
    );
    assert.equal(await cg.oomKills(), 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
