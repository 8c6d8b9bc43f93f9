import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IpAllocator, IpPoolExhaustedError } from './ipam.js';

test('allocations are persisted per address, survive a new allocator, and are released', async () => {
  const dir = mkdtempSync('/tmp/podbay-ipam-');
  try {
    const a = new IpAllocator(dir, '10.9.0.0/29'); // .0 network, .1 gateway, .2-.6 pods, .7 broadcast
    assert.equal(a.gateway, '10.9.0.1');
    const ips = [];
    for (let i = 0; i < 5; i++) ips.push(await a.allocate(`sb${i}`));
    assert.deepEqual(ips, ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
    assert.equal(readFileSync(join(dir, 'network', 'ipam', '10.9.0.4'), 'utf8'), 'sb2');
    const fresh = new IpAllocator(dir, '10.9.0.0/29');
    await assert.rejects(fresh.allocate('sb5'), IpPoolExhaustedError);
    await fresh.release('10.9.0.3', 'not-the-owner');
    await assert.rejects(fresh.allocate('sb5'), IpPoolExhaustedError);
    await fresh.release('10.9.0.3', 'sb1');
    assert.equal(await fresh.allocate('sb5'), '10.9.0.3');
    assert.equal((await fresh.list()).get('10.9.0.3'), 'sb5');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
